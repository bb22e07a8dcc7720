package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.environment.Environments;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches that end as an API server ends them: with 410 Gone (the informers list again) or closed (they
 * watch again); either way what happens next reaches the model, and nothing is lost meanwhile.
 */
class WatchResilienceTest {

    static final EnvironmentStatus.Key KEY = new EnvironmentStatus.Key("payments", "checkout", "dev");

    final StatusModel model = new StatusModel(new Environments(null), Clock.systemUTC());
    TestCluster cluster;
    ClusterWatch watch;

    @BeforeEach
    void watching() throws Exception {
        cluster = TestCluster.on(0);
        watch = new ClusterWatch("nonprod", cluster.client, model);
        watch.start().get(10, TimeUnit.SECONDS);
        await(watch::watching);
        cluster.client.apps().deployments().inNamespace("payments-dev").resource(deployment(2, 2)).create();
        await(() -> model.status(KEY).state() == EnvironmentStatus.State.HEALTHY);
        cluster.requests();
    }

    @AfterEach
    void stop() {
        watch.close();
        cluster.close();
    }

    @Test
    void anExpiredResourceVersionLeadsToAFullListAndTheWatchGoesOn() throws Exception {
        cluster.expireWatches();
        await(() -> {
            try {
                return cluster.requests().stream().anyMatch(r -> r.getPath().startsWith("/apis/apps/v1/deployments")
                        && !r.getPath().contains("watch=true"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await(watch::watching);
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.HEALTHY);

        cluster.client.apps().deployments().inNamespace("payments-dev").resource(deployment(3, 2)).update();
        await(() -> model.status(KEY).desired() == 3);
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.PROGRESSING);
    }

    @Test
    void aWatchClosedByTheServerIsResumed() throws Exception {
        cluster.dropWatches();
        await(() -> {
            try {
                return cluster.requests().stream().anyMatch(r -> r.getPath().startsWith("/apis/apps/v1/deployments")
                        && r.getPath().contains("watch=true"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await(watch::watching);
        cluster.client.apps().deployments().inNamespace("payments-dev").resource(deployment(3, 2)).update();
        await(() -> model.status(KEY).desired() == 3);
        cluster.client.apps().deployments().inNamespace("payments-dev").withName("checkout").delete();
        await(() -> model.status(KEY).state() == EnvironmentStatus.State.NOT_DEPLOYED);
    }

    private static Deployment deployment(int replicas, int ready) {
        return new DeploymentBuilder().withNewMetadata().withName("checkout").withNamespace("payments-dev").withGeneration(1L)
                .withLabels(Map.of(Workloads.TEAM, "payments", Workloads.SERVICE, "checkout", Workloads.ENVIRONMENT, "dev",
                        Workloads.MANAGED_BY, "Helm")).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().withNewStatus().withObservedGeneration(1L)
                .withReplicas(replicas).withUpdatedReplicas(ready).withReadyReplicas(ready).withAvailableReplicas(ready)
                .endStatus().build();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Await.until(condition, Duration.ofSeconds(20));
    }
}
