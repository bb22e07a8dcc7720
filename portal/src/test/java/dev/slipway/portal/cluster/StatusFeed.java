package dev.slipway.portal.cluster;

import java.util.List;

/** Tells the model what an informer would, for tests outside this package (the UI's). */
public final class StatusFeed {

    private final StatusModel model;

    public StatusFeed(StatusModel model) {
        this.model = model;
    }

    public void synced(String cluster) {
        model.synced(cluster);
    }

    /** What the GitOps branch asks the environment to run. */
    public void git(String team, String service, String environment, String tag, String digest) {
        model.git(new EnvironmentStatus.Key(team, service, environment), new EnvironmentStatus.GitImage(tag, digest));
    }

    /** A Deployment of {@code replicas} with so many updated and ready, and one ready pod per ready replica. */
    public void deployment(String team, String service, String environment, int replicas, int updatedReady, String digest) {
        var key = new EnvironmentStatus.Key(team, service, environment);
        String namespace = team + "-" + environment;
        model.deployment(key, new Workloads.DeploymentState(namespace, service, 1, 1, replicas, updatedReady, updatedReady,
                updatedReady, List.of()));
        for (int i = 0; i < updatedReady; i++) {
            model.pod(key, new Workloads.PodState(namespace, service + "-" + i, List.of(
                    new Workloads.ContainerState(digest, true, null, null))));
        }
    }
}
