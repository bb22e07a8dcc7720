package dev.slipway.portal.registry;

import dev.slipway.portal.environment.Environment;
import java.time.Duration;
import java.util.List;

/**
 * What an environment demands of an image's scans ({@code slipway.scans.gate.<environment>}).
 * Unconfigured, a production-tier environment takes {@link #PROD}, {@code dev} takes {@link #NONE},
 * and any other environment {@link #TEST}: a new environment is gated until someone says otherwise.
 *
 * @param requireScan whether an image with no scan at all fails
 * @param maxScanAge  how old the newest scan may be (null: any age)
 * @param limits      at most so many findings of a severity, counting all or only those with a fix
 */
public record GatePolicy(Boolean requireScan, Duration maxScanAge, List<Limit> limits) {

    public record Limit(Finding.Severity severity, int max, boolean fixableOnly) {
        public Limit {
            if (severity == null || max < 0) {
                throw new IllegalArgumentException("slipway.scans.gate: a limit needs a severity and a max of at least 0");
            }
        }

        String describe() {
            return "at most " + max + " " + severity.id() + (fixableOnly ? " finding(s) with a fix" : " finding(s)");
        }
    }

    public static final GatePolicy PROD = new GatePolicy(true, Duration.ofDays(7), List.of(
            new Limit(Finding.Severity.CRITICAL, 0, false), new Limit(Finding.Severity.HIGH, 0, true)));
    public static final GatePolicy TEST = new GatePolicy(false, null, List.of(
            new Limit(Finding.Severity.CRITICAL, 0, true)));
    public static final GatePolicy NONE = new GatePolicy(false, null, List.of());

    public GatePolicy {
        requireScan = requireScan != null && requireScan;
        limits = limits == null ? List.of() : List.copyOf(limits);
    }

    static GatePolicy defaultFor(Environment environment) {
        if (environment.tier() == Environment.Tier.PROD) {
            return PROD;
        }
        return environment.name().equals("dev") ? NONE : TEST;
    }
}
