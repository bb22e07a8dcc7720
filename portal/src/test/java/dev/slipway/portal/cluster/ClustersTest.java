package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.environment.Environments;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configured clusters, reached through kubeconfig files as a real cluster is: one that answers
 * is watched, one that does not leaves its environments unknown and holds up no other, and a watch
 * that goes down makes its environments unknown until it is back.
 */
@EnableKubernetesMockClient(crud = true)
class ClustersTest {

    static KubernetesClient client;

    @TempDir
    Path temp;

    @Test
    void aClusterThatAnswersIsWatchedAndADeadOneLeavesOnlyItsEnvironmentsUnknown() throws Exception {
        var model = new StatusModel(new Environments(null), Clock.systemUTC());
        var clusters = new Clusters(new ClustersProperties(Map.of(
                "nonprod", new ClustersProperties.Cluster(kubeconfig("nonprod", client.getConfiguration().getMasterUrl()),
                        "nonprod", null, null),
                "prod", new ClustersProperties.Cluster(kubeconfig("prod", "https://127.0.0.1:1/"), "prod", null, null))),
                model);
        clusters.start();
        try {
            // (the mock server replays no events from between a list and its watch: wait for the watches)
            await(() -> model.isSynced("nonprod") && clusters.watching("nonprod"));
            client.apps().deployments().inNamespace("payments-dev").resource(new DeploymentBuilder().withNewMetadata()
                    .withName("checkout").withLabels(Map.of(Workloads.TEAM, "payments", Workloads.SERVICE, "checkout",
                            Workloads.ENVIRONMENT, "dev")).endMetadata().withNewSpec().withReplicas(0).endSpec()
                    .withNewStatus().withObservedGeneration(1L).endStatus().build()).create();
            var dev = new EnvironmentStatus.Key("payments", "checkout", "dev");
            try {
                await(() -> model.status(dev).state() == EnvironmentStatus.State.HEALTHY);
            } catch (AssertionError e) {
                throw new AssertionError("dev is " + model.status(dev) + ", nonprod synced " + model.isSynced("nonprod"));
            }
            assertThat(model.isSynced("prod")).isFalse();
            assertThat(model.status(new EnvironmentStatus.Key("payments", "checkout", "prod")).state())
                    .isEqualTo(EnvironmentStatus.State.UNKNOWN);

            // nonprod's watch goes down (here: its watches are stopped): dev is unknown, never healthy
            clusters.stopWatching("nonprod");
            clusters.checkWatches();
            assertThat(model.status(dev).state()).isEqualTo(EnvironmentStatus.State.UNKNOWN);
        } finally {
            clusters.stop();
        }
    }

    private String kubeconfig(String name, String server) throws Exception {
        var config = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .withClusters(new NamedClusterBuilder().withName(name).withNewCluster().withServer(server)
                        .withInsecureSkipTlsVerify(true).endCluster().build())
                .withContexts(new NamedContextBuilder().withName(name).withNewContext().withCluster(name)
                        .withNamespace("default").endContext().build())
                .withCurrentContext(name).build();
        Path file = temp.resolve(name + ".kubeconfig");
        Files.writeString(file, new KubernetesSerialization().asYaml(config));
        return file.toString();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not in time");
            }
            Thread.sleep(20);
        }
    }

}
