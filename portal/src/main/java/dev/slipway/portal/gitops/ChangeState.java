package dev.slipway.portal.gitops;

import java.util.Locale;

/** Where a change is on its way into the GitOps repository. Stored as e.g. {@code pull-request-open}. */
public enum ChangeState {
    PENDING, COMMITTED, PULL_REQUEST_OPEN, MERGED, CONFLICTING, FAILED;

    /** The one spelling of a state: in the database, the API's JSON and the docs. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ChangeState fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
