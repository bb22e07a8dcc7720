package dev.slipway.portal.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's cache that keeps only what the status needs of each object (name, namespace, Slipway's labels,
 * resource version, a pod's controller, the status fields read): managed fields, specs, annotations and the rest are
 * dropped before an object is stored. Published cases show caches of 10,000 pods costing hundreds of
 * megabytes whole, and several times less trimmed.
 */
final class SlimStore<T extends HasMetadata> implements ItemStore<T> {

    private final BasicItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final UnaryOperator<T> slim;

    private SlimStore(UnaryOperator<T> slim) {
        this.slim = slim;
    }

    static SlimStore<Deployment> deployments() {
        return new SlimStore<>(d -> new DeploymentBuilder().withMetadata(meta(d.getMetadata(), false))
                .withNewSpec().withReplicas(d.getSpec() == null ? null : d.getSpec().getReplicas()).endSpec()
                .withStatus(d.getStatus()).build());
    }

    static SlimStore<ReplicaSet> replicaSets() {
        return new SlimStore<>(rs -> new ReplicaSetBuilder().withMetadata(meta(rs.getMetadata(), true))
                .withNewStatus().withReplicas(rs.getStatus() == null ? null : rs.getStatus().getReplicas()).endStatus()
                .build());
    }

    static SlimStore<CronJob> cronJobs() {
        return new SlimStore<>(c -> new CronJobBuilder().withMetadata(meta(c.getMetadata(), false))
                .withNewSpec().withSuspend(c.getSpec() == null ? null : c.getSpec().getSuspend()).endSpec().build());
    }

    static SlimStore<Job> jobs() {
        return new SlimStore<>(j -> {
            var status = j.getStatus();
            var meta = new ObjectMetaBuilder(meta(j.getMetadata(), false))
                    .withCreationTimestamp(j.getMetadata().getCreationTimestamp()).build();
            return new JobBuilder().withMetadata(meta).withNewStatus()
                    .withStartTime(status == null ? null : status.getStartTime())
                    .withActive(status == null ? null : status.getActive())
                    .withConditions(status == null || status.getConditions() == null ? java.util.List.of()
                            : status.getConditions().stream().filter(c -> "Failed".equals(c.getType())
                                    || "Complete".equals(c.getType()))
                            .map(c -> new JobConditionBuilder().withType(c.getType()).withStatus(c.getStatus())
                                    .withReason(c.getReason()).withMessage(c.getMessage()).build()).toList())
                    .endStatus().build();
        });
    }

    static SlimStore<GenericKubernetesResource> applications() {
        return new SlimStore<>(Applications::slim);
    }

    static SlimStore<Pod> pods() {
        return new SlimStore<>(p -> new PodBuilder().withMetadata(new ObjectMetaBuilder(meta(p.getMetadata(), false))
                        .withOwnerReferences(p.getMetadata().getOwnerReferences() == null ? java.util.List.of()
                                : p.getMetadata().getOwnerReferences().stream()
                                .filter(o -> Boolean.TRUE.equals(o.getController())).toList()).build())
                .withNewStatus().withContainerStatuses(p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                        ? java.util.List.of() : p.getStatus().getContainerStatuses().stream().map(SlimStore::container).toList())
                .endStatus().build());
    }

    static ObjectMeta meta(ObjectMeta meta, boolean revision) {
        var slim = new ObjectMetaBuilder().withName(meta.getName()).withNamespace(meta.getNamespace())
                .withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion()).withGeneration(meta.getGeneration())
                .withLabels(slipwayLabels(meta.getLabels()));
        if (revision && meta.getAnnotations() != null && meta.getAnnotations().get(Workloads.ReplicaSetState.REVISION) != null) {
            slim.withAnnotations(Map.of(Workloads.ReplicaSetState.REVISION,
                    meta.getAnnotations().get(Workloads.ReplicaSetState.REVISION)));
        }
        return slim.build();
    }

    /** Only the labels that say whose an object is: the chart sets half a dozen more on each. */
    private static Map<String, String> slipwayLabels(Map<String, String> labels) {
        if (labels == null) {
            return null;
        }
        var kept = new java.util.HashMap<String, String>(4);
        for (String label : new String[] {Workloads.TEAM, Workloads.SERVICE, Workloads.ENVIRONMENT}) {
            if (labels.get(label) != null) {
                kept.put(label, labels.get(label));
            }
        }
        return kept;
    }

    private static ContainerStatus container(ContainerStatus status) {
        var slim = new ContainerStatusBuilder().withName(status.getName()).withImageID(status.getImageID())
                .withReady(status.getReady());
        if (status.getState() != null && status.getState().getWaiting() != null) {
            slim.withNewState().withNewWaiting().withReason(status.getState().getWaiting().getReason())
                    .withMessage(status.getState().getWaiting().getMessage()).endWaiting().endState();
        }
        return slim.build();
    }

    @Override
    public String getKey(T object) {
        return store.getKey(object);
    }

    @Override
    public T put(String key, T object) {
        return store.put(key, slim.apply(object));
    }

    @Override
    public T remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<T> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public T get(String key) {
        return store.get(key);
    }
}
