package dev.slipway.portal.cluster;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one word for what runs: from the Deployment's status and conditions and its pods' container
 * statuses, the way {@code kubectl rollout status} reads them.
 */
final class Rollouts {

    /** Waiting reasons that will not fix themselves: a degraded rollout, not a slow one. */
    private static final Set<String> FAILING = Set.of("ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff",
            "CreateContainerConfigError", "InvalidImageName", "CreateContainerError", "RunContainerError");

    private Rollouts() {
    }

    static EnvironmentStatus derive(EnvironmentStatus.Key key, Workloads.DeploymentState deployment,
                                    Collection<Workloads.PodState> pods, Instant now) {
        return derive(key, deployment, java.util.List.of(), pods, now);
    }

    /** @param replicaSets the Deployment's ReplicaSets: the older revisions must have scaled down to be healthy */
    static EnvironmentStatus derive(EnvironmentStatus.Key key, Workloads.DeploymentState deployment,
                                    Collection<Workloads.ReplicaSetState> replicaSets,
                                    Collection<Workloads.PodState> pods, Instant now) {
        long newest = replicaSets.stream().mapToLong(Workloads.ReplicaSetState::revision).max().orElse(0);
        int oldReplicas = replicaSets.stream().filter(rs -> rs.revision() < newest)
                .mapToInt(Workloads.ReplicaSetState::replicas).sum();
        var running = new TreeMap<String, Integer>();
        String waitingReason = null;
        String waitingMessage = null;
        for (Workloads.PodState pod : pods) {
            for (Workloads.ContainerState container : pod.containers()) {
                if (container.digest() != null) {
                    running.merge(container.digest(), 1, Integer::sum);
                }
                if (waitingReason == null && container.waitingReason() != null && FAILING.contains(container.waitingReason())) {
                    waitingReason = container.waitingReason();
                    waitingMessage = container.waitingMessage();
                }
            }
        }
        if (deployment == null) {
            return new EnvironmentStatus(key, EnvironmentStatus.State.NOT_DEPLOYED, Map.copyOf(running), 0, 0, 0, 0, null,
                    null, now);
        }
        EnvironmentStatus.State state;
        String reason = null;
        String message = null;
        Workloads.Condition progressing = condition(deployment, "Progressing");
        if (progressing != null && "False".equals(progressing.status())) {
            state = EnvironmentStatus.State.DEGRADED; // ProgressDeadlineExceeded: the controller gave up
            reason = progressing.reason();
            message = progressing.message();
        } else if (waitingReason != null) {
            state = EnvironmentStatus.State.DEGRADED;
            reason = waitingReason;
            message = waitingMessage;
        } else if (deployment.observedGeneration() >= deployment.generation()
                && deployment.updated() >= deployment.replicas() && deployment.available() >= deployment.replicas()
                && deployment.ready() >= deployment.replicas() && oldReplicas == 0
                && running.values().stream().mapToInt(i -> i).sum() <= deployment.replicas()) {
            // every replica updated and available, and no old ReplicaSet or pod left over
            state = EnvironmentStatus.State.HEALTHY;
        } else {
            state = EnvironmentStatus.State.PROGRESSING;
        }
        if (state != EnvironmentStatus.State.DEGRADED && waitingReason != null) {
            reason = waitingReason;
            message = waitingMessage;
        }
        return new EnvironmentStatus(key, state, Map.copyOf(running), deployment.replicas(), deployment.updated(),
                deployment.ready(), deployment.available(), reason, message, now);
    }

    private static Workloads.Condition condition(Workloads.DeploymentState deployment, String type) {
        return deployment.conditions().stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
    }
}
