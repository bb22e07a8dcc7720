package dev.slipway.portal.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * What the informers told of one service's environment, as they told it: the model derives the
 * status from it on every change. Guarded by its own monitor.
 */
final class Observed {

    Workloads.DeploymentState deployment;
    final Map<String, Workloads.ReplicaSetState> replicaSets = new HashMap<>();
    Workloads.CronJobState cronJob;
    final Map<String, Workloads.JobState> jobs = new HashMap<>();
    final Map<String, Workloads.PodState> pods = new HashMap<>();
    EnvironmentStatus.GitImage git;
    EnvironmentStatus.ArgoCd argo;
    /** Since when what runs differs from what Git asks for; null while they agree. */
    java.time.Instant mismatchSince;

    static String name(String namespace, String name) {
        return namespace + "/" + name;
    }
}
