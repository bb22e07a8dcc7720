package dev.slipway.portal.promotion;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Where a promotion is. Stored and shown as e.g. {@code awaiting-approval}. */
public enum PromotionState {
    REQUESTED, BLOCKED, AWAITING_APPROVAL, APPROVED, REJECTED, CANCELLED, SUPERSEDED, EXPIRED, COMMITTING, DEPLOYING,
    DEPLOYED, FAILED;

    /** Not yet written to Git: a newer promotion to the same environment replaces it. */
    static final Set<PromotionState> REPLACEABLE = EnumSet.of(REQUESTED, BLOCKED, AWAITING_APPROVAL);
    static final Set<PromotionState> FINAL = EnumSet.of(REJECTED, CANCELLED, SUPERSEDED, EXPIRED, DEPLOYED, FAILED);

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static PromotionState fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public boolean isFinal() {
        return FINAL.contains(this);
    }
}
