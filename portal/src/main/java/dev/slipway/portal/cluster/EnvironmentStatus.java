package dev.slipway.portal.cluster;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What runs of one service in one environment, what Git asks for, and the one word a user sees.
 *
 * @param running  digests of the pods' images (what runs, from {@code imageID}) with how many containers run each
 * @param desired  the replicas asked for (of a CronJob: 0, and {@code updated} counts its active runs)
 * @param reason   the failing condition's reason (ProgressDeadlineExceeded, ImagePullBackOff, Drifted…), or null
 * @param since    when the state last changed
 * @param workload {@code Deployment} or {@code CronJob}; null when none runs
 * @param git      the image the GitOps repository's branch asks for; null when Git names none (yet)
 * @param argo     what Argo CD says of its Application; null when the cluster has no Argo CD or no such Application
 */
public record EnvironmentStatus(Key key, State state, Map<String, Integer> running, int desired, int updated, int ready,
                                int available, String reason, String message, Instant since, String workload,
                                GitImage git, ArgoCd argo) {

    /** A service's environment. */
    public record Key(String team, String service, String environment) {
    }

    public enum State {
        NOT_DEPLOYED, PROGRESSING, HEALTHY, DEGRADED, DRIFTED, UNKNOWN;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The image a values file of the branch names (either may be absent). */
    public record GitImage(String tag, String digest) {
    }

    /**
     * An Argo CD Application's status: sync status, health and the revision synced. Its health is
     * {@code Unknown} while stale (reconciled before its last operation finished).
     */
    public record ArgoCd(String sync, String health, String revision) {
    }

    EnvironmentStatus(Key key, State state, Map<String, Integer> running, int desired, int updated, int ready,
                      int available, String reason, String message, Instant since) {
        this(key, state, running, desired, updated, ready, available, reason, message, since, null, null, null);
    }

    public static EnvironmentStatus unknown(Key key, Instant since) {
        return new EnvironmentStatus(key, State.UNKNOWN, Map.of(), 0, 0, 0, 0, null, null, since);
    }

    EnvironmentStatus with(State newState, String newReason, String newMessage) {
        return new EnvironmentStatus(key, newState, running, desired, updated, ready, available, newReason, newMessage,
                since, workload, git, argo);
    }

    EnvironmentStatus with(String newWorkload, GitImage newGit, ArgoCd newArgo) {
        return new EnvironmentStatus(key, state, running, desired, updated, ready, available, reason, message, since,
                newWorkload, newGit, newArgo);
    }

    /** The same status, observed now: {@code since} stays when the state did not change. */
    EnvironmentStatus after(EnvironmentStatus before) {
        if (before != null && before.state == state) {
            return new EnvironmentStatus(key, state, running, desired, updated, ready, available, reason, message,
                    before.since, workload, git, argo);
        }
        return this;
    }

    /** Whether a user would see a difference. */
    boolean differsFrom(EnvironmentStatus other) {
        return other == null || other.state != state || !other.running.equals(running) || other.desired != desired
                || other.updated != updated || other.ready != ready || other.available != available
                || !Objects.equals(other.reason, reason) || !Objects.equals(other.message, message)
                || !Objects.equals(other.workload, workload) || !Objects.equals(other.git, git)
                || !Objects.equals(other.argo, argo);
    }
}
