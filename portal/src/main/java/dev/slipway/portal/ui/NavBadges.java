package dev.slipway.portal.ui;

import com.vaadin.flow.component.Component;
import java.util.Optional;

/**
 * A count beside a navigation entry (QA's queue), from the feature that owns the entry: the shell
 * asks every one of them for each entry's path and shows what they give.
 */
public interface NavBadges {

    /** A badge for the entry at {@code path} for the signed-in user, or empty. */
    Optional<Component> badgeFor(String path);
}
