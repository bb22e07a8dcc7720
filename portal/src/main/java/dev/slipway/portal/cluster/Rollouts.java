package dev.slipway.portal.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one word for what runs: from the Deployment's status and conditions and its pods' container
 * statuses, the way {@code kubectl rollout status} reads them, or from a CronJob's runs.
 */
final class Rollouts {

    /** Waiting reasons that will not fix themselves: a degraded rollout, not a slow one. */
    private static final Set<String> FAILING = Set.of("ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff",
            "CreateContainerConfigError", "InvalidImageName", "CreateContainerError", "RunContainerError");

    private Rollouts() {
    }

    /** The status of what was observed: a Deployment's rollout, a CronJob's last run, or nothing deployed. */
    static EnvironmentStatus derive(EnvironmentStatus.Key key, Observed observed, Instant now) {
        return derive(key, observed, now, null);
    }

    /**
     * @param driftGrace how long a Deployment may run other than what Git asks for before it is
     *                   {@code drifted}; null: not compared. Updates the observed mismatch's start.
     */
    static EnvironmentStatus derive(EnvironmentStatus.Key key, Observed observed, Instant now, Duration driftGrace) {
        EnvironmentStatus status;
        if (observed.deployment != null) {
            status = deployment(key, observed.deployment, observed.replicaSets.values(), observed.pods.values(), now)
                    .with("Deployment", observed.git, observed.argo);
        } else if (observed.cronJob != null) {
            // a CronJob runs its new image at its next run, whenever that is: it does not drift
            return cronJob(key, observed.jobs.values(), observed.pods.values(), now).with("CronJob", observed.git, observed.argo);
        } else {
            status = new EnvironmentStatus(key, EnvironmentStatus.State.NOT_DEPLOYED, running(observed.pods.values(), null),
                    0, 0, 0, 0, null, null, now).with(null, observed.git, observed.argo);
        }
        return driftGrace == null ? status : drift(status, observed, now, driftGrace);
    }

    /**
     * What runs is not only the digest Git asks for (or nothing runs of it) for longer than the grace
     * period: a rollout that should have ended, a hand edit in the cluster, an Argo CD that does not
     * sync. A degraded rollout stays degraded: its reason says more.
     */
    private static EnvironmentStatus drift(EnvironmentStatus status, Observed observed, Instant now, Duration grace) {
        String wanted = observed.git == null ? null : observed.git.digest();
        boolean differs = wanted != null && status.state() != EnvironmentStatus.State.DEGRADED
                && !status.running().keySet().equals(java.util.Set.of(wanted));
        if (!differs) {
            observed.mismatchSince = null;
            return status;
        }
        if (observed.mismatchSince == null) {
            observed.mismatchSince = now;
        }
        if (now.isBefore(observed.mismatchSince.plus(grace))) {
            return status;
        }
        String runs = status.running().isEmpty() ? "nothing runs" : "runs " + String.join(", ", status.running().keySet());
        return status.with(EnvironmentStatus.State.DRIFTED, "Drifted", "Git asks for " + wanted
                + (observed.git.tag() == null ? "" : " (" + observed.git.tag() + ")") + "; " + runs + " since "
                + observed.mismatchSince);
    }

    /** @param replicaSets the Deployment's ReplicaSets: the older revisions must have scaled down to be healthy */
    private static EnvironmentStatus deployment(EnvironmentStatus.Key key, Workloads.DeploymentState deployment,
                                                Collection<Workloads.ReplicaSetState> replicaSets,
                                                Collection<Workloads.PodState> pods, Instant now) {
        long newest = replicaSets.stream().mapToLong(Workloads.ReplicaSetState::revision).max().orElse(0);
        int oldReplicas = replicaSets.stream().filter(rs -> rs.revision() < newest)
                .mapToInt(Workloads.ReplicaSetState::replicas).sum();
        Map<String, Integer> running = running(pods, null);
        Workloads.ContainerState waiting = failing(pods, null);
        EnvironmentStatus.State state;
        String reason = null;
        String message = null;
        Workloads.Condition progressing = condition(deployment, "Progressing");
        if (progressing != null && "False".equals(progressing.status())) {
            state = EnvironmentStatus.State.DEGRADED; // ProgressDeadlineExceeded: the controller gave up
            reason = progressing.reason();
            message = progressing.message();
        } else if (waiting != null) {
            state = EnvironmentStatus.State.DEGRADED;
            reason = waiting.waitingReason();
            message = waiting.waitingMessage();
        } else if (deployment.observedGeneration() >= deployment.generation()
                && deployment.updated() >= deployment.replicas() && deployment.available() >= deployment.replicas()
                && deployment.ready() >= deployment.replicas() && oldReplicas == 0
                && running.values().stream().mapToInt(i -> i).sum() <= deployment.replicas()) {
            // every replica updated and available, and no old ReplicaSet or pod left over
            state = EnvironmentStatus.State.HEALTHY;
        } else {
            state = EnvironmentStatus.State.PROGRESSING;
        }
        return new EnvironmentStatus(key, state, running, deployment.replicas(), deployment.updated(),
                deployment.ready(), deployment.available(), reason, message, now);
    }

    /**
     * A CronJob is as its last run went, as Argo CD reads it: degraded when the newest finished run
     * failed, or when the running one's pods cannot start; healthy otherwise (also before its first
     * run). A run in progress changes nothing, so each run is not a transition. What runs is what its
     * newest run ran.
     */
    private static EnvironmentStatus cronJob(EnvironmentStatus.Key key, Collection<Workloads.JobState> jobs,
                                             Collection<Workloads.PodState> pods, Instant now) {
        Comparator<Workloads.JobState> newestFirst = Comparator.comparing(Workloads.JobState::started)
                .thenComparing(Workloads.JobState::name).reversed();
        List<Workloads.JobState> runs = jobs.stream().sorted(newestFirst).toList();
        Workloads.JobState newest = runs.isEmpty() ? null : runs.getFirst();
        Workloads.JobState lastFinished = runs.stream().filter(Workloads.JobState::finished).findFirst().orElse(null);
        String newestName = newest == null ? null : newest.name();
        Map<String, Integer> running = newest == null ? Map.of() : running(pods, newestName);
        Workloads.ContainerState waiting = newest == null || newest.finished() ? null : failing(pods, newestName);
        int active = newest == null ? 0 : newest.active();
        if (waiting != null) {
            return new EnvironmentStatus(key, EnvironmentStatus.State.DEGRADED, running, 0, active, 0, 0,
                    waiting.waitingReason(), waiting.waitingMessage(), now);
        }
        if (lastFinished != null && lastFinished.failed() != null) {
            return new EnvironmentStatus(key, EnvironmentStatus.State.DEGRADED, running, 0, active, 0, 0,
                    lastFinished.failed().reason(), "Job " + lastFinished.name() + ": " + lastFinished.failed().message(), now);
        }
        return new EnvironmentStatus(key, EnvironmentStatus.State.HEALTHY, running, 0, active, 0, 0, null, null, now);
    }

    /** The digests the pods run (of one owner's pods when given), with how many containers run each. */
    private static Map<String, Integer> running(Collection<Workloads.PodState> pods, String owner) {
        var running = new TreeMap<String, Integer>();
        for (Workloads.PodState pod : pods) {
            if (owner == null || owner.equals(pod.owner())) {
                for (Workloads.ContainerState container : pod.containers()) {
                    if (container.digest() != null) {
                        running.merge(container.digest(), 1, Integer::sum);
                    }
                }
            }
        }
        return Map.copyOf(running);
    }

    /** The first container waiting for a reason that will not fix itself. */
    private static Workloads.ContainerState failing(Collection<Workloads.PodState> pods, String owner) {
        for (Workloads.PodState pod : pods) {
            if (owner == null || owner.equals(pod.owner())) {
                for (Workloads.ContainerState container : pod.containers()) {
                    if (container.waitingReason() != null && FAILING.contains(container.waitingReason())) {
                        return container;
                    }
                }
            }
        }
        return null;
    }

    private static Workloads.Condition condition(Workloads.DeploymentState deployment, String type) {
        return deployment.conditions().stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
    }
}
