package dev.slipway.portal.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the Deployment controller and the kubelet do in a real cluster, played in a sandbox cluster:
 * a Deployment whose pod template changed gets a new ReplicaSet and its pods, which become ready
 * after {@code ready-after}; the older ReplicaSet then scales down. An image whose tag contains
 * {@code fail} never pulls: its pods wait in {@code ImagePullBackOff}, and the Deployment ends with
 * {@code ProgressDeadlineExceeded} (after three times {@code ready-after}, not the real 10 minutes).
 */
final class SandboxKubelet {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String HASH = "pod-template-hash";

    private final KubernetesClient client;
    private final Duration readyAfter;
    private final ScheduledExecutorService timer;
    private final Clock clock;

    SandboxKubelet(KubernetesClient client, Duration readyAfter, ScheduledExecutorService timer, Clock clock) {
        this.client = client;
        this.readyAfter = readyAfter;
        this.timer = timer;
        this.clock = clock;
    }

    /** A Deployment was applied: roll it out when its pod template changed. */
    void rollout(Deployment deployment, String tag) {
        String namespace = deployment.getMetadata().getNamespace();
        String name = deployment.getMetadata().getName();
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        String hash = hash(deployment.getSpec().getTemplate().getSpec().getContainers());
        List<ReplicaSet> owned = client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
                .filter(rs -> ownedBy(rs.getMetadata().getOwnerReferences(), name)).toList();
        ReplicaSet current = owned.stream().filter(rs -> hash.equals(rs.getMetadata().getLabels().get(HASH))).findFirst()
                .orElse(null);
        if (current != null && current.getSpec().getReplicas() == replicas) {
            return; // nothing a controller would do
        }
        long newest = owned.stream().mapToLong(SandboxKubelet::revision).max().orElse(0);
        // as the Deployment controller does: a template that goes back to an older ReplicaSet (a rollback)
        // makes that ReplicaSet the newest revision again
        long revision = current != null && revision(current) == newest ? newest : newest + 1;
        String replicaSet = name + "-" + hash;
        var labels = new LinkedHashMap<>(deployment.getSpec().getTemplate().getMetadata().getLabels());
        labels.put(HASH, hash);
        client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder().withNewMetadata()
                .withName(replicaSet).withNamespace(namespace).withLabels(labels)
                .addToAnnotations(REVISION, Long.toString(revision))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment").withName(name)
                        .withUid(deployment.getMetadata().getUid()).withController(true).build()).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().withNewStatus().withReplicas(replicas).endStatus().build())
                .createOr(existing -> existing.update());
        boolean failing = tag != null && tag.toLowerCase(Locale.ROOT).contains("fail");
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        for (int i = 0; i < replicas; i++) {
            pod(namespace, replicaSet + "-" + i, labels, replicaSet, containers, false, null);
        }
        status(deployment, replicas, replicas, 0, progressing("True", "ReplicaSetUpdated",
                "ReplicaSet \"" + replicaSet + "\" is progressing."));
        timer.schedule(() -> {
            for (int i = 0; i < replicas; i++) {
                pod(namespace, replicaSet + "-" + i, labels, replicaSet, containers, !failing,
                        failing ? "ImagePullBackOff" : null);
            }
            if (failing) {
                timer.schedule(() -> status(deployment, replicas, replicas, 0, progressing("False", "ProgressDeadlineExceeded",
                        "ReplicaSet \"" + replicaSet + "\" has timed out progressing.")), readyAfter.toMillis() * 2,
                        TimeUnit.MILLISECONDS);
                return;
            }
            for (ReplicaSet old : owned) {
                if (!old.getMetadata().getName().equals(replicaSet)) {
                    client.pods().inNamespace(namespace).list().getItems().stream()
                            .filter(p -> ownedBy(p.getMetadata().getOwnerReferences(), old.getMetadata().getName()))
                            .forEach(p -> client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).delete());
                    old.getSpec().setReplicas(0);
                    old.getStatus().setReplicas(0);
                    client.apps().replicaSets().inNamespace(namespace).resource(old).update();
                }
            }
            status(deployment, replicas, replicas, replicas, progressing("True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + replicaSet + "\" has successfully progressed."));
        }, readyAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pod(String namespace, String name, Map<String, String> labels, String replicaSet, List<Container> containers,
                     boolean ready, String waiting) {
        var statuses = new ArrayList<ContainerStatus>();
        for (Container container : containers) {
            var status = new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                    .withReady(ready).withRestartCount(0);
            if (ready) {
                status.withImageID(imageId(container.getImage())).withNewState().withNewRunning()
                        .withStartedAt(clock.instant().toString()).endRunning().endState();
            } else {
                status.withNewState().withNewWaiting().withReason(waiting == null ? "ContainerCreating" : waiting)
                        .withMessage(waiting == null ? null : "Back-off pulling image \"" + container.getImage() + "\"")
                        .endWaiting().endState();
            }
            statuses.add(status.build());
        }
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                        .withName(replicaSet).withUid(replicaSet).withController(true).build()).endMetadata()
                .withNewSpec().withContainers(containers).endSpec()
                .withNewStatus().withPhase(ready ? "Running" : "Pending").withContainerStatuses(statuses).endStatus().build();
        client.pods().inNamespace(namespace).resource(pod).createOr(existing -> existing.update());
    }

    private void status(Deployment applied, int replicas, int updated, int ready, DeploymentCondition progressing) {
        String namespace = applied.getMetadata().getNamespace();
        var current = client.apps().deployments().inNamespace(namespace).withName(applied.getMetadata().getName()).get();
        if (current == null) {
            return; // pruned meanwhile
        }
        var available = new DeploymentConditionBuilder().withType("Available").withStatus(ready >= replicas ? "True" : "False")
                .withReason(ready >= replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable").build();
        current.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                .withObservedGeneration(current.getMetadata().getGeneration()).withReplicas(replicas)
                .withUpdatedReplicas(updated).withReadyReplicas(ready).withAvailableReplicas(ready)
                .withConditions(available, progressing).build());
        client.apps().deployments().inNamespace(namespace).resource(current).update();
    }

    private DeploymentCondition progressing(String status, String reason, String message) {
        return new DeploymentConditionBuilder().withType("Progressing").withStatus(status).withReason(reason)
                .withMessage(message).withLastUpdateTime(clock.instant().toString()).build();
    }

    /** What the kubelet reports as the image's id: the digest it pulled ({@code repo@sha256:…}). */
    static String imageId(String image) {
        if (image.contains("@sha256:")) {
            return image;
        }
        // a tag: the sandbox has no registry to ask, so it names a digest of the reference itself
        int colon = image.lastIndexOf(':');
        String repository = colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
        return repository + "@sha256:" + sha256(image);
    }

    private static String hash(List<Container> containers) {
        var key = new StringBuilder();
        containers.forEach(c -> key.append(c.getName()).append('=').append(c.getImage()).append(';'));
        return sha256(key.toString()).substring(0, 10);
    }

    /** The SHA-256 of a text, in hex. */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static long revision(ReplicaSet replicaSet) {
        String revision = replicaSet.getMetadata().getAnnotations() == null ? null
                : replicaSet.getMetadata().getAnnotations().get(REVISION);
        try {
            return revision == null ? 0 : Long.parseLong(revision);
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    private static boolean ownedBy(List<io.fabric8.kubernetes.api.model.OwnerReference> owners, String name) {
        return owners != null && owners.stream().anyMatch(o -> name.equals(o.getName()));
    }
}
