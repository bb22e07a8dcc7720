package dev.slipway.portal.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's shared informers on what the chart generated (selected by Slipway's labels):
 * Deployments, their ReplicaSets and Pods, each turned into the little the model needs as it arrives. Read-only: list
 * and watch, nothing else.
 */
final class ClusterWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);
    private static final long RESYNC = 0; // no periodic resync: the watch delivers every change

    private final String cluster;
    private final KubernetesClient client;
    private final StatusModel model;
    private List<SharedIndexInformer<?>> informers = List.of();

    ClusterWatch(String cluster, KubernetesClient client, StatusModel model) {
        this.cluster = cluster;
        this.client = client;
        this.model = model;
    }

    /** Starts the informers; the model counts the cluster synced once both have listed. */
    CompletableFuture<Void> start() {
        SharedIndexInformer<Deployment> deployments = client.apps().deployments().inAnyNamespace()
                .withLabelSelector(Workloads.SELECTOR)
                .runnableInformer(RESYNC).itemStore(SlimStore.deployments());
        deployments.addEventHandler(handler(
                (key, d) -> model.deployment(key, Workloads.DeploymentState.of(d)),
                (key, d) -> model.deploymentGone(key)));
        SharedIndexInformer<io.fabric8.kubernetes.api.model.apps.ReplicaSet> replicaSets = client.apps().replicaSets()
                .inAnyNamespace().withLabelSelector(Workloads.SELECTOR).runnableInformer(RESYNC)
                .itemStore(SlimStore.replicaSets());
        replicaSets.addEventHandler(handler((key, rs) -> model.replicaSet(key, Workloads.ReplicaSetState.of(rs)),
                (key, rs) -> model.replicaSetGone(key, rs.getMetadata().getNamespace(), rs.getMetadata().getName())));
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().withLabelSelector(Workloads.SELECTOR)
                .runnableInformer(RESYNC).itemStore(SlimStore.pods());
        pods.addEventHandler(handler((key, p) -> model.pod(key, Workloads.PodState.of(p)),
                (key, p) -> model.podGone(key, p.getMetadata().getNamespace(), p.getMetadata().getName())));
        informers = List.of(deployments, replicaSets, pods);
        return CompletableFuture.allOf(deployments.start().toCompletableFuture(), replicaSets.start().toCompletableFuture(),
                        pods.start().toCompletableFuture())
                .whenComplete((done, failed) -> {
                    if (failed == null) {
                        model.synced(cluster);
                        log.info("Cluster {}: Deployments, ReplicaSets and Pods listed, watching", cluster);
                    } else {
                        model.unreachable(cluster);
                        log.warn("Cluster {} not reachable: {}", cluster, failed.getMessage());
                    }
                });
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(BiConsumer<EnvironmentStatus.Key, T> upsert,
                                                                           BiConsumer<EnvironmentStatus.Key, T> gone) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                with(object, key -> upsert.accept(key, object));
            }

            @Override
            public void onUpdate(T before, T object) {
                with(object, key -> upsert.accept(key, object));
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                with(object, key -> gone.accept(key, object));
            }
        };
    }

    private static <T extends HasMetadata> void with(T object, Consumer<EnvironmentStatus.Key> action) {
        EnvironmentStatus.Key key = Workloads.keyOf(object);
        if (key != null) {
            action.accept(key);
        }
    }

    /** Whether every informer's watch is up (it drops when the cluster goes away, and resumes by itself). */
    boolean watching() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::isWatching);
    }

    /** What the informers' caches hold (for tests of what they keep). */
    List<Object> cached() {
        return informers.stream().flatMap(informer -> informer.getStore().list().stream()).map(Object.class::cast).toList();
    }

    String cluster() {
        return cluster;
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::stop);
    }
}
