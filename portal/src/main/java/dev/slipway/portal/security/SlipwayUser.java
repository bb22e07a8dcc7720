package dev.slipway.portal.security;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;

/**
 * The signed-in person as Slipway sees them, whatever the sign-in method: their roles and the
 * teams they belong to. Derived from the granted authorities ({@code ROLE_*}, {@code TEAM_*}), so
 * the local users and Entra ID users go through the same checks.
 */
public record SlipwayUser(String username, String displayName, Set<Role> roles, Set<String> teams) {

    public static final String TEAM_AUTHORITY_PREFIX = "TEAM_";

    public SlipwayUser {
        roles = Set.copyOf(roles);
        teams = Set.copyOf(teams);
    }

    public static SlipwayUser of(String username, String displayName, Collection<? extends GrantedAuthority> authorities) {
        var roles = new HashSet<Role>();
        var teams = new HashSet<String>();
        for (GrantedAuthority granted : authorities) {
            String authority = granted.getAuthority();
            if (authority == null) {
                continue;
            }
            Role.fromAuthority(authority).ifPresent(roles::add);
            if (authority.startsWith(TEAM_AUTHORITY_PREFIX)) {
                teams.add(authority.substring(TEAM_AUTHORITY_PREFIX.length()));
            }
        }
        return new SlipwayUser(username, displayName, roles, teams);
    }

    public static String teamAuthority(String team) {
        return TEAM_AUTHORITY_PREFIX + team;
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isMemberOf(String team) {
        return teams.contains(team);
    }

    /**
     * Anyone with at least one Slipway role may read the catalog; a valid sign-in alone is not
     * enough, and neither is the scanner role, which only uploads scan reports.
     */
    public boolean mayRead() {
        return roles.stream().anyMatch(role -> role != Role.SCANNER);
    }
}
