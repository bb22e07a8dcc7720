package dev.slipway.portal.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little of a Deployment, a CronJob, their ReplicaSets, Jobs and Pods that the status needs, and nothing else: the model keeps
 * these instead of the objects (whose managed fields, specs and annotations would cost hundreds of
 * megabytes at tens of thousands of pods).
 */
final class Workloads {

    /** The labels the chart sets on every object and pod, which the informers select on. */
    static final String TEAM = "slipway.dev/team";
    static final String SERVICE = "slipway.dev/service";
    static final String ENVIRONMENT = "slipway.dev/environment";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String SELECTOR = MANAGED_BY + "," + TEAM + "," + SERVICE + "," + ENVIRONMENT;

    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    private Workloads() {
    }

    record Condition(String type, String status, String reason, String message) {
    }

    record DeploymentState(String namespace, String name, long generation, long observedGeneration, int replicas,
                           int updated, int ready, int available, List<Condition> conditions) {
        static DeploymentState of(Deployment deployment) {
            var status = deployment.getStatus();
            var conditions = status == null || status.getConditions() == null ? List.<Condition>of()
                    : status.getConditions().stream().map(Workloads::condition).toList();
            Integer replicas = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
            return new DeploymentState(deployment.getMetadata().getNamespace(), deployment.getMetadata().getName(),
                    value(deployment.getMetadata().getGeneration()), status == null ? 0 : value(status.getObservedGeneration()),
                    replicas == null ? 1 : replicas, status == null ? 0 : value(status.getUpdatedReplicas()),
                    status == null ? 0 : value(status.getReadyReplicas()), status == null ? 0 : value(status.getAvailableReplicas()),
                    conditions);
        }
    }

    /** A ReplicaSet of a Deployment: its revision, and how many pods it still has. */
    record ReplicaSetState(String namespace, String name, long revision, int replicas) {
        static final String REVISION = "deployment.kubernetes.io/revision";

        static ReplicaSetState of(io.fabric8.kubernetes.api.model.apps.ReplicaSet replicaSet) {
            Map<String, String> annotations = replicaSet.getMetadata().getAnnotations();
            long revision;
            try {
                revision = annotations == null || annotations.get(REVISION) == null ? 0 : Long.parseLong(annotations.get(REVISION));
            } catch (NumberFormatException notANumber) {
                revision = 0;
            }
            var status = replicaSet.getStatus();
            return new ReplicaSetState(replicaSet.getMetadata().getNamespace(), replicaSet.getMetadata().getName(), revision,
                    status == null ? 0 : value(status.getReplicas()));
        }
    }

    /** A container of a pod: the digest it runs (null until pulled), whether ready, and why it waits. */
    record ContainerState(String digest, boolean ready, String waitingReason, String waitingMessage) {
    }

    /** @param owner the name of the pod's controller (its ReplicaSet or Job), or null */
    record PodState(String namespace, String name, List<ContainerState> containers, String owner) {
        PodState(String namespace, String name, List<ContainerState> containers) {
            this(namespace, name, containers, null);
        }

        static PodState of(Pod pod) {
            var statuses = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                    ? List.<ContainerStatus>of() : pod.getStatus().getContainerStatuses();
            return new PodState(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), statuses.stream()
                    .map(c -> new ContainerState(digest(c.getImageID()), Boolean.TRUE.equals(c.getReady()),
                            c.getState() != null && c.getState().getWaiting() != null ? c.getState().getWaiting().getReason() : null,
                            c.getState() != null && c.getState().getWaiting() != null ? c.getState().getWaiting().getMessage() : null))
                    .toList(), controller(pod.getMetadata()));
        }
    }

    /** A CronJob of the {@code cron-job} template. */
    record CronJobState(String namespace, String name, boolean suspended) {
        static CronJobState of(CronJob cronJob) {
            return new CronJobState(cronJob.getMetadata().getNamespace(), cronJob.getMetadata().getName(),
                    cronJob.getSpec() != null && Boolean.TRUE.equals(cronJob.getSpec().getSuspend()));
        }
    }

    /**
     * A run of a CronJob.
     *
     * @param started when it started (its creation when it has not), to tell the newest run
     * @param failed  its {@code Failed} condition when it failed (BackoffLimitExceeded, DeadlineExceeded), or null
     */
    record JobState(String namespace, String name, Instant started, int active, boolean complete, Condition failed) {
        static JobState of(Job job) {
            var status = job.getStatus();
            Instant started = instant(status == null ? null : status.getStartTime());
            if (started == null) {
                started = instant(job.getMetadata().getCreationTimestamp());
            }
            List<JobCondition> conditions = status == null || status.getConditions() == null ? List.of() : status.getConditions();
            Condition failed = conditions.stream().filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                    .findFirst().map(c -> new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage())).orElse(null);
            boolean complete = conditions.stream().anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
            return new JobState(job.getMetadata().getNamespace(), job.getMetadata().getName(),
                    started == null ? Instant.EPOCH : started, status == null ? 0 : value(status.getActive()), complete, failed);
        }

        boolean finished() {
            return complete || failed != null;
        }
    }

    private static String controller(ObjectMeta meta) {
        return meta.getOwnerReferences() == null ? null : meta.getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController())).map(OwnerReference::getName).findFirst().orElse(null);
    }

    private static Instant instant(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(timestamp);
        } catch (java.time.format.DateTimeParseException unreadable) {
            return null;
        }
    }

    /** The service's environment an object belongs to, from the chart's labels; null for another's. */
    static EnvironmentStatus.Key keyOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels == null || labels.get(TEAM) == null || labels.get(SERVICE) == null || labels.get(ENVIRONMENT) == null) {
            return null;
        }
        return new EnvironmentStatus.Key(labels.get(TEAM), labels.get(SERVICE), labels.get(ENVIRONMENT));
    }

    /** {@code docker-pullable://repo@sha256:…} or {@code repo@sha256:…}: what runs is the digest. */
    static String digest(String imageId) {
        if (imageId == null) {
            return null;
        }
        Matcher matcher = DIGEST.matcher(imageId);
        return matcher.find() ? matcher.group() : null;
    }

    private static Condition condition(DeploymentCondition c) {
        return new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
    }

    private static int value(Integer number) {
        return number == null ? 0 : number;
    }

    private static long value(Long number) {
        return number == null ? 0 : number;
    }
}
