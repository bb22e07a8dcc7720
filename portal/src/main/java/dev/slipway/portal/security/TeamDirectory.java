package dev.slipway.portal.security;

import java.util.Collection;
import java.util.List;

/** Which teams an Entra ID user belongs to, given their group object ids. The catalog answers. */
public interface TeamDirectory {

    List<String> teamsOfEntraGroups(Collection<String> groupIds);
}
