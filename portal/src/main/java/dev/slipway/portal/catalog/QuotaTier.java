package dev.slipway.portal.catalog;

import java.util.Locale;

/** Prod and non-prod namespaces get different budgets. Stored as {@code nonprod} / {@code prod}. */
public enum QuotaTier {
    NONPROD, PROD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static QuotaTier fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
