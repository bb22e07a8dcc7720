package dev.slipway.portal.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's shared informers on what the chart generated (selected by Slipway's labels):
 * Deployments and CronJobs, their ReplicaSets, Jobs and Pods, each turned into the little the model needs as it arrives. Read-only: list
 * and watch, nothing else.
 */
final class ClusterWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);
    private static final long RESYNC = 0; // no periodic resync: the watch delivers every change
    private static final java.util.concurrent.Executor DISCOVERY = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final String cluster;
    private final KubernetesClient client;
    private final StatusModel model;
    private volatile List<SharedIndexInformer<?>> informers = List.of();
    private boolean closed;

    ClusterWatch(String cluster, KubernetesClient client, StatusModel model) {
        this.cluster = cluster;
        this.client = client;
        this.model = model;
    }

    /**
     * Starts the informers (on Argo CD's Applications too when the cluster serves that kind); the
     * model counts the cluster synced once all have listed. Discovery runs off the caller's thread,
     * so that a slow cluster holds up no other.
     */
    CompletableFuture<Void> start() {
        return CompletableFuture.supplyAsync(this::servesApplications, DISCOVERY).thenCompose(this::start)
                .whenComplete((done, failed) -> {
                    if (failed != null) {
                        model.unreachable(cluster);
                        log.warn("Cluster {} not reachable: {}", cluster, failed.getMessage());
                    }
                });
    }

    private boolean servesApplications() {
        return client.supports(Applications.API_VERSION, Applications.KIND);
    }

    private synchronized CompletableFuture<Void> start(boolean applications) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("closed while discovering"));
        }
        var started = new ArrayList<SharedIndexInformer<?>>();
        if (applications) {
            started.add(inform(client.genericKubernetesResources(Applications.CONTEXT).inAnyNamespace()
                            .withLabelSelector(Workloads.SELECTOR), SlimStore.applications(),
                    (key, a) -> model.argo(key, Applications.status(a)), (key, a) -> model.argo(key, null)));
        }
        started.add(inform(client.apps().deployments().inAnyNamespace().withLabelSelector(Workloads.SELECTOR),
                SlimStore.deployments(), (key, d) -> model.deployment(key, Workloads.DeploymentState.of(d)),
                (key, d) -> model.deploymentGone(key)));
        started.add(inform(client.apps().replicaSets().inAnyNamespace().withLabelSelector(Workloads.SELECTOR),
                SlimStore.replicaSets(), (key, rs) -> model.replicaSet(key, Workloads.ReplicaSetState.of(rs)),
                (key, rs) -> model.replicaSetGone(key, rs.getMetadata().getNamespace(), rs.getMetadata().getName())));
        started.add(inform(client.batch().v1().cronjobs().inAnyNamespace().withLabelSelector(Workloads.SELECTOR),
                SlimStore.cronJobs(), (key, c) -> model.cronJob(key, Workloads.CronJobState.of(c)),
                (key, c) -> model.cronJobGone(key)));
        started.add(inform(client.batch().v1().jobs().inAnyNamespace().withLabelSelector(Workloads.SELECTOR),
                SlimStore.jobs(), (key, j) -> model.job(key, Workloads.JobState.of(j)),
                (key, j) -> model.jobGone(key, j.getMetadata().getNamespace(), j.getMetadata().getName())));
        started.add(inform(client.pods().inAnyNamespace().withLabelSelector(Workloads.SELECTOR),
                SlimStore.pods(), (key, p) -> model.pod(key, Workloads.PodState.of(p)),
                (key, p) -> model.podGone(key, p.getMetadata().getNamespace(), p.getMetadata().getName())));
        informers = List.copyOf(started);
        return CompletableFuture.allOf(informers.stream().map(i -> i.start().toCompletableFuture())
                        .toArray(CompletableFuture[]::new))
                .thenRun(() -> {
                    model.synced(cluster);
                    log.info("Cluster {}: Deployments, ReplicaSets, CronJobs, Jobs, Pods{} listed, watching", cluster,
                            applications ? " and Argo CD Applications" : " (no Argo CD Applications here)");
                });
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> inform(Informable<T> objects, SlimStore<T> store,
                                                                         BiConsumer<EnvironmentStatus.Key, T> upsert,
                                                                         BiConsumer<EnvironmentStatus.Key, T> gone) {
        SharedIndexInformer<T> informer = objects.runnableInformer(RESYNC).itemStore(store);
        informer.addEventHandler(handler(upsert, gone));
        return informer;
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
    public synchronized void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::stop);
    }
}
