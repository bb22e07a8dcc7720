package dev.slipway.portal.cluster;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * What runs of one service in one environment, and the one word a user sees for it.
 *
 * @param running  digests of the pods' images (what runs, from {@code imageID}) with how many pods run each
 * @param reason   the failing condition's reason (ProgressDeadlineExceeded, ImagePullBackOff…), or null
 * @param since    when the state last changed
 */
public record EnvironmentStatus(Key key, State state, Map<String, Integer> running, int desired, int updated, int ready,
                                int available, String reason, String message, Instant since) {

    /** A service's environment. */
    public record Key(String team, String service, String environment) {
    }

    public enum State {
        NOT_DEPLOYED, PROGRESSING, HEALTHY, DEGRADED, DRIFTED, UNKNOWN;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static EnvironmentStatus unknown(Key key, Instant since) {
        return new EnvironmentStatus(key, State.UNKNOWN, Map.of(), 0, 0, 0, 0, null, null, since);
    }

    /** The same status, observed now: {@code since} stays when the state did not change. */
    EnvironmentStatus after(EnvironmentStatus before) {
        if (before != null && before.state == state) {
            return new EnvironmentStatus(key, state, running, desired, updated, ready, available, reason, message,
                    before.since);
        }
        return this;
    }

    /** Whether a user would see a difference. */
    boolean differsFrom(EnvironmentStatus other) {
        return other == null || other.state != state || !other.running.equals(running) || other.desired != desired
                || other.updated != updated || other.ready != ready || other.available != available
                || !java.util.Objects.equals(other.reason, reason) || !java.util.Objects.equals(other.message, message);
    }
}
