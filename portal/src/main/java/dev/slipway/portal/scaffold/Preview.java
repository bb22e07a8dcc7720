package dev.slipway.portal.scaffold;

import dev.slipway.templates.ChangeSet;
import dev.slipway.templates.Violation;
import java.util.List;

/**
 * What creating a service would write, and what the platform's policy says about it, per
 * environment. Nothing is written to make a preview.
 */
public record Preview(String template, String templateVersion, ChangeSet changeSet, List<Violation> violations) {

    public boolean passesPolicy() {
        return violations.isEmpty();
    }
}
