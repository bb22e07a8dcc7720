package dev.slipway.portal.registry;

import java.util.Locale;

/**
 * One vulnerability a scanner found in an image: which, in what, how bad, and whether a fixed
 * version exists. Values are cut to sane lengths: they come from reports CI uploads.
 */
public record Finding(String vulnerabilityId, String packageName, String installedVersion, String fixedVersion,
                      Severity severity, String status, String title, String primaryUrl, String target) {

    public enum Severity {
        CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A scanner's word for it; anything unknown (negligible, none, a typo) is {@link #UNKNOWN}. */
        public static Severity of(String text) {
            if (text == null) {
                return UNKNOWN;
            }
            return switch (text.trim().toUpperCase(Locale.ROOT)) {
                case "CRITICAL" -> CRITICAL;
                case "HIGH" -> HIGH;
                case "MEDIUM", "MODERATE" -> MEDIUM;
                case "LOW" -> LOW;
                default -> UNKNOWN;
            };
        }
    }

    public Finding {
        vulnerabilityId = cut(vulnerabilityId, 200);
        packageName = cut(packageName == null ? "" : packageName, 500);
        installedVersion = cut(installedVersion, 200);
        fixedVersion = cut(fixedVersion == null || fixedVersion.isBlank() ? null : fixedVersion, 500);
        severity = severity == null ? Severity.UNKNOWN : severity;
        status = cut(status, 50);
        title = cut(title, 1000);
        primaryUrl = primaryUrl != null && (primaryUrl.startsWith("https://") || primaryUrl.startsWith("http://"))
                ? cut(primaryUrl, 1000) : null; // a link the UI shows: never javascript: or the like
        target = cut(target, 500);
    }

    public boolean fixable() {
        return fixedVersion != null;
    }

    private static String cut(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
