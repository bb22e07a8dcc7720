package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.environment.Environments;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model fed by a cluster's informers (fabric8's mock server in CRUD mode: no controllers run, so
 * the test sets the status the Deployment controller and the kubelet would): a rollout from
 * progressing, through two digests at once, to healthy; failed rollouts with their reasons; objects
 * of no Slipway service ignored.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterWatchTest {

    static KubernetesClient client;

    static final String OLD = "sha256:" + "a".repeat(64);
    static final String NEW = "sha256:" + "b".repeat(64);
    static final EnvironmentStatus.Key KEY = new EnvironmentStatus.Key("payments", "checkout", "dev");

    StatusModel model;
    ClusterWatch watch;
    final List<EnvironmentStatus> announced = new CopyOnWriteArrayList<>();

    @BeforeEach
    void watching() throws Exception {
        model = new StatusModel(new Environments(null), Clock.systemUTC());
        model.listen(announced::add);
        watch = Await.watching(new ClusterWatch("nonprod", client, model));
    }

    @AfterEach
    void stop() {
        watch.close();
        client.apps().deployments().inAnyNamespace().delete();
        client.pods().inAnyNamespace().delete();
        client.apps().replicaSets().inAnyNamespace().delete();
        client.batch().v1().cronjobs().inAnyNamespace().delete();
        client.batch().v1().jobs().inAnyNamespace().delete();
    }

    @Test
    void aRolloutGoesFromProgressingThroughTwoDigestsToHealthy() throws Exception {
        // synced and nothing there: not deployed, where an unwatched cluster's environment is unknown
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.NOT_DEPLOYED);
        assertThat(model.status(new EnvironmentStatus.Key("payments", "checkout", "prod")).state())
                .isEqualTo(EnvironmentStatus.State.UNKNOWN);

        client.apps().deployments().inNamespace("payments-dev").resource(deployment(2, 2, 2, 2, 1, progressing("NewReplicaSetAvailable")))
                .create();
        pod("checkout-old-1", OLD, true, null);
        pod("checkout-old-2", OLD, true, null);
        EnvironmentStatus healthy = await(s -> s.state() == EnvironmentStatus.State.HEALTHY && s.running().equals(Map.of(OLD, 2)));
        assertThat(healthy.ready()).isEqualTo(2);

        // a new image: the controller starts a new ReplicaSet; both digests run for a while
        client.apps().deployments().inNamespace("payments-dev").resource(deployment(2, 1, 2, 2, 2,
                progressing("ReplicaSetUpdated"))).update();
        pod("checkout-new-1", NEW, true, null);
        EnvironmentStatus rolling = await(s -> s.running().size() == 2);
        assertThat(rolling.state()).isEqualTo(EnvironmentStatus.State.PROGRESSING);
        assertThat(rolling.running()).isEqualTo(Map.of(OLD, 2, NEW, 1));

        pod("checkout-new-2", NEW, true, null);
        client.pods().inNamespace("payments-dev").withName("checkout-old-1").delete();
        client.pods().inNamespace("payments-dev").withName("checkout-old-2").delete();
        client.apps().deployments().inNamespace("payments-dev").resource(deployment(2, 2, 2, 2, 2,
                progressing("NewReplicaSetAvailable"))).update();
        EnvironmentStatus done = await(s -> s.state() == EnvironmentStatus.State.HEALTHY && s.running().equals(Map.of(NEW, 2)));
        assertThat(done.updated()).isEqualTo(2);
        assertThat(announced).extracting(EnvironmentStatus::state).contains(EnvironmentStatus.State.PROGRESSING);
    }

    @Test
    void anOldReplicaSetStillScalingDownKeepsTheRolloutProgressing() throws Exception {
        client.apps().deployments().inNamespace("payments-dev").resource(deployment(1, 1, 1, 1, 1, progressing("NewReplicaSetAvailable")))
                .create();
        replicaSet("checkout-old", 1, 1);
        replicaSet("checkout-new", 2, 1);
        pod("checkout-new-1", NEW, true, null);
        EnvironmentStatus draining = await(s -> s.state() != EnvironmentStatus.State.NOT_DEPLOYED && s.running().size() == 1);
        assertThat(draining.state()).isEqualTo(EnvironmentStatus.State.PROGRESSING);
        replicaSet("checkout-old", 1, 0);
        await(s -> s.state() == EnvironmentStatus.State.HEALTHY);
    }

    private static void replicaSet(String name, int revision, int replicas) {
        var replicaSet = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder().withNewMetadata().withName(name)
                .withNamespace("payments-dev").withLabels(labels())
                .addToAnnotations(Workloads.ReplicaSetState.REVISION, Integer.toString(revision)).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().withNewStatus().withReplicas(replicas).endStatus().build();
        client.apps().replicaSets().inNamespace("payments-dev").resource(replicaSet).createOr(r -> r.update());
    }

    @Test
    void theInformersCachesKeepOnlyWhatTheStatusNeeds() throws Exception {
        Deployment whole = new DeploymentBuilder(deployment(1, 1, 1, 1, 1, progressing("NewReplicaSetAvailable")))
                .editMetadata().addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "x".repeat(4000))
                .addNewManagedField().withManager("argocd-controller").withOperation("Apply").endManagedField().endMetadata()
                .editSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app")
                .withImage("slipwaylocal.azurecr.io/payments/checkout@" + NEW).endContainer().endSpec().endTemplate().endSpec()
                .build();
        client.apps().deployments().inNamespace("payments-dev").resource(whole).create();
        replicaSet("checkout-new", 3, 1);
        pod("checkout-new-1", NEW, true, null);
        await(s -> s.state() == EnvironmentStatus.State.HEALTHY && s.running().equals(Map.of(NEW, 1)));
        Await.until(() -> watch.cached().size() >= 3, Duration.ofSeconds(10)); // the ReplicaSet's event may come last

        List<Object> cached = watch.cached();
        assertThat(cached).hasSize(3);
        for (Object object : cached) {
            var meta = ((io.fabric8.kubernetes.api.model.HasMetadata) object).getMetadata();
            assertThat(meta.getManagedFields()).isNullOrEmpty();
            assertThat(meta.getLabels()).containsEntry(Workloads.SERVICE, "checkout");
            assertThat(meta.getResourceVersion()).isNotBlank();
        }
        Deployment slim = cached.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        assertThat(slim.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(slim.getSpec().getTemplate()).isNull();
        assertThat(slim.getSpec().getReplicas()).isEqualTo(1);
        var replicaSet = cached.stream().filter(io.fabric8.kubernetes.api.model.apps.ReplicaSet.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.apps.ReplicaSet.class::cast).findFirst().orElseThrow();
        assertThat(replicaSet.getMetadata().getAnnotations()).containsOnlyKeys(Workloads.ReplicaSetState.REVISION);
        assertThat(replicaSet.getSpec()).isNull();
        Pod pod = cached.stream().filter(Pod.class::isInstance).map(Pod.class::cast).findFirst().orElseThrow();
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getImageID()).endsWith(NEW);
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getImage()).isNull();

        // a deletion still reaches the model from what the cache kept
        client.apps().deployments().inNamespace("payments-dev").withName("checkout").delete();
        await(s -> s.desired() == 0 && s.state() == EnvironmentStatus.State.NOT_DEPLOYED);
    }

    @Test
    void itsWatchesAreUp() throws Exception {
        Await.until(watch::watching, Duration.ofSeconds(10));
        assertThat(watch.watching()).isTrue();
        watch.close();
        assertThat(watch.watching()).isFalse();
    }

    @Test
    void aFailedRolloutSaysWhyFromTheDeploymentOrFromItsPods() throws Exception {
        client.apps().deployments().inNamespace("payments-dev").resource(deployment(2, 1, 0, 0, 1, progressing("ReplicaSetUpdated")))
                .create();
        pod("checkout-new-1", null, false, new String[] {"ImagePullBackOff", "Back-off pulling image \"acr.io/checkout:1.4.2-fail\""});
        EnvironmentStatus pulling = await(s -> s.state() == EnvironmentStatus.State.DEGRADED);
        assertThat(pulling.reason()).isEqualTo("ImagePullBackOff");
        assertThat(pulling.message()).contains("Back-off pulling image");

        client.apps().deployments().inNamespace("payments-dev").resource(deployment(2, 1, 0, 0, 1,
                new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                        .withReason("ProgressDeadlineExceeded")
                        .withMessage("ReplicaSet \"checkout-7d4b9\" has timed out progressing.").build())).update();
        EnvironmentStatus deadline = await(s -> "ProgressDeadlineExceeded".equals(s.reason()));
        assertThat(deadline.state()).isEqualTo(EnvironmentStatus.State.DEGRADED);
        assertThat(deadline.message()).contains("has timed out progressing");
    }

    @Test
    void aCronJobIsAsItsNewestFinishedRunWentAndRunsWhatItsNewestRunRan() throws Exception {
        var cronJob = new io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder().withNewMetadata().withName("checkout")
                .withNamespace("payments-dev").withLabels(labels()).endMetadata().withNewSpec().withSchedule("*/5 * * * *")
                .endSpec().build();
        client.batch().v1().cronjobs().inNamespace("payments-dev").resource(cronJob).create();
        EnvironmentStatus scheduled = await(s -> "CronJob".equals(s.workload()));
        assertThat(scheduled.state()).isEqualTo(EnvironmentStatus.State.HEALTHY); // before its first run: nothing failed

        job("checkout-29000000", "2026-12-01T10:00:00Z", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        jobPod("checkout-29000000-abcde", "checkout-29000000", OLD);
        EnvironmentStatus failed = await(s -> s.state() == EnvironmentStatus.State.DEGRADED);
        assertThat(failed.reason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.message()).contains("checkout-29000000").contains("backoff limit");

        // the next run, with a new image, is running: the state stays as the last finished run left it
        job("checkout-29000005", "2026-12-01T10:05:00Z", null, null, null);
        jobPod("checkout-29000005-fghij", "checkout-29000005", NEW);
        EnvironmentStatus running = await(s -> s.running().equals(Map.of(NEW, 1)));
        assertThat(running.state()).isEqualTo(EnvironmentStatus.State.DEGRADED);
        assertThat(running.updated()).isEqualTo(1); // one active run

        job("checkout-29000005", "2026-12-01T10:05:00Z", "Complete", null, null);
        EnvironmentStatus done = await(s -> s.state() == EnvironmentStatus.State.HEALTHY);
        assertThat(done.running()).isEqualTo(Map.of(NEW, 1)); // not the older run's pod
        assertThat(done.reason()).isNull();
    }

    private static void job(String name, String started, String condition, String reason, String message) {
        var status = new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withStartTime(started)
                .withActive(condition == null ? 1 : 0);
        if (condition != null) {
            status.addNewCondition().withType(condition).withStatus("True").withReason(reason).withMessage(message).endCondition();
        }
        var job = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder().withNewMetadata().withName(name)
                .withNamespace("payments-dev").withLabels(labels()).endMetadata().withStatus(status.build()).build();
        client.batch().v1().jobs().inNamespace("payments-dev").resource(job).createOr(j -> j.update());
    }

    private static void jobPod(String name, String job, String digest) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("payments-dev").withLabels(labels())
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(job).withUid(job)
                .withController(true).endOwnerReference().endMetadata()
                .withNewStatus().withPhase("Succeeded").addNewContainerStatus().withName("app").withReady(false)
                .withImageID("slipwaylocal.azurecr.io/payments/checkout@" + digest).endContainerStatus().endStatus().build();
        client.pods().inNamespace("payments-dev").resource(pod).create();
    }

    @Test
    void objectsOfNoSlipwayServiceAreNotSeen() throws Exception {
        client.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata().withName("coredns")
                .addToLabels("k8s-app", "kube-dns").endMetadata().build()).create();
        client.apps().deployments().inNamespace("payments-dev").resource(deployment(1, 1, 1, 1, 1, progressing("NewReplicaSetAvailable")))
                .create();
        await(s -> s.state() == EnvironmentStatus.State.HEALTHY || s.state() == EnvironmentStatus.State.PROGRESSING);
        assertThat(announced).extracting(EnvironmentStatus::key).containsOnly(KEY);
    }

    private EnvironmentStatus await(Predicate<EnvironmentStatus> condition) throws InterruptedException {
        return Await.status(model, KEY, condition);
    }

    private static DeploymentCondition progressing(String reason) {
        return new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason(reason).build();
    }

    private static Deployment deployment(int replicas, int updated, int ready, int available, long observedGeneration,
                                         DeploymentCondition condition) {
        return new DeploymentBuilder().withNewMetadata().withName("checkout").withNamespace("payments-dev")
                .withGeneration(observedGeneration).withLabels(labels()).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withObservedGeneration(observedGeneration).withReplicas(replicas).withUpdatedReplicas(updated)
                .withReadyReplicas(ready).withAvailableReplicas(available).withConditions(condition).endStatus()
                .build();
    }

    private static void pod(String name, String digest, boolean ready, String[] waiting) {
        var status = new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("app").withReady(ready)
                .withImage("slipwaylocal.azurecr.io/payments/checkout:1.4.2");
        if (digest != null) {
            status.withImageID("slipwaylocal.azurecr.io/payments/checkout@" + digest);
        }
        if (waiting != null) {
            status.withNewState().withNewWaiting().withReason(waiting[0]).withMessage(waiting[1]).endWaiting().endState();
        }
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("payments-dev").withLabels(labels())
                .endMetadata().withNewStatus().withPhase("Running").withContainerStatuses(status.build()).endStatus().build();
        client.pods().inNamespace("payments-dev").resource(pod).create();
    }

    private static Map<String, String> labels() {
        return Map.of(Workloads.TEAM, "payments", Workloads.SERVICE, "checkout", Workloads.ENVIRONMENT, "dev",
                "app.kubernetes.io/name", "checkout", "app.kubernetes.io/managed-by", "Helm");
    }
}
