package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import dev.slipway.portal.environment.Environments;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The configured clusters, reached through kubeconfig files (or AKS's Entra ID) as a real cluster is:
 * one that answers is watched, one that does not leaves its environments unknown and holds up no
 * other, and one that goes away makes its environments unknown until it comes back by itself.
 */
class ClustersTest {

    static final EnvironmentStatus.Key DEV = new EnvironmentStatus.Key("payments", "checkout", "dev");

    @TempDir
    Path temp;

    final StatusModel model = new StatusModel(new Environments(null), Clock.systemUTC());

    @Test
    void aClusterThatAnswersIsWatchedAndADeadOneLeavesOnlyItsEnvironmentsUnknown() throws Exception {
        try (var nonprod = TestCluster.on(0)) {
            var clusters = new Clusters(new ClustersProperties(Map.of(
                    "nonprod", new ClustersProperties.Cluster(kubeconfig("nonprod", nonprod.url()), "nonprod", null, null),
                    "prod", new ClustersProperties.Cluster(kubeconfig("prod", "https://127.0.0.1:1/"), "prod", null, null))),
                    model, Clock.systemUTC());
            clusters.start();
            try {
                // (the mock server replays no events from between a list and its watch: wait for the watches)
                await(() -> model.isSynced("nonprod") && clusters.watching("nonprod"));
                create(nonprod.client);
                await(() -> model.status(DEV).state() == EnvironmentStatus.State.HEALTHY);
                assertThat(model.isSynced("prod")).isFalse();
                assertThat(model.status(new EnvironmentStatus.Key("payments", "checkout", "prod")).state())
                        .isEqualTo(EnvironmentStatus.State.UNKNOWN);

                // nonprod's watch goes down (here: its watches are stopped): dev is unknown, never healthy
                clusters.stopWatching("nonprod");
                clusters.checkWatches();
                assertThat(model.status(DEV).state()).isEqualTo(EnvironmentStatus.State.UNKNOWN);
            } finally {
                clusters.stop();
            }
        }
    }

    @Test
    void aClusterThatGoesAwayIsUnknownUntilItComesBackByItself() throws Exception {
        int port;
        try (var free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        var cluster = TestCluster.on(port);
        var clusters = new Clusters(new ClustersProperties(Map.of("nonprod",
                new ClustersProperties.Cluster(kubeconfig("nonprod", cluster.url()), "nonprod", null, null))),
                model, Clock.systemUTC());
        clusters.start();
        try {
            await(() -> model.isSynced("nonprod") && clusters.watching("nonprod"));
            create(cluster.client);
            await(() -> model.status(DEV).state() == EnvironmentStatus.State.HEALTHY);

            cluster.close(); // the API server goes away
            await(() -> {
                clusters.checkWatches();
                return model.status(DEV).state() == EnvironmentStatus.State.UNKNOWN;
            });
            assertThat(model.isSynced("nonprod")).isFalse();

            cluster = TestCluster.on(port); // and comes back, with the service still there
            create(cluster.client);
            await(() -> {
                clusters.checkWatches();
                return model.status(DEV).state() == EnvironmentStatus.State.HEALTHY;
            });
            assertThat(model.isSynced("nonprod")).isTrue();
        } finally {
            clusters.stop();
            cluster.close();
        }
    }

    @Test
    void anAksClusterIsReachedWithAnEntraIdTokenAndNotWithTheKubeconfigsUser() throws Exception {
        TokenCredential credential = new TokenCredential() {
            @Override
            public Mono<AccessToken> getToken(TokenRequestContext request) {
                return Mono.fromSupplier(() -> getTokenSync(request));
            }

            @Override
            public AccessToken getTokenSync(TokenRequestContext request) {
                assertThat(request.getScopes()).containsExactly(EntraToken.AKS_SCOPE);
                return new AccessToken("entra-token", Instant.now().plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC));
            }
        };
        try (var prod = TestCluster.on(0)) {
            // as `az aks get-credentials` writes it: the user runs kubelogin, which Slipway does not need
            var kubeconfig = new KubernetesSerialization().unmarshal(Files.readString(Path.of(kubeconfig("prod", prod.url()))),
                    io.fabric8.kubernetes.api.model.Config.class);
            kubeconfig.setUsers(List.of(new NamedAuthInfoBuilder().withName("clusterUser_rg_prod").withNewUser().withNewExec()
                    .withApiVersion("client.authentication.k8s.io/v1beta1").withCommand("kubelogin")
                    .withArgs("get-token", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630").endExec().endUser().build()));
            Files.writeString(Path.of(kubeconfigFile("prod")), new KubernetesSerialization().asYaml(kubeconfig));
            var clusters = new Clusters(new ClustersProperties(Map.of("prod", new ClustersProperties.Cluster(
                    kubeconfigFile("prod"), "prod", null, null, true, null, null, null))), model, Clock.systemUTC(),
                    () -> credential);
            clusters.start();
            try {
                await(() -> model.isSynced("prod"));
                List<RecordedRequest> requests = prod.requests();
                assertThat(requests).isNotEmpty()
                        .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer entra-token"));
            } finally {
                clusters.stop();
            }
        }
    }

    @Test
    void theEnvironmentsAClusterSaysItHostsMustBeThoseSlipwaysEnvironmentsPutThere() {
        var agreeing = new ClustersProperties(Map.of("nonprod", new ClustersProperties.Cluster(
                "/etc/slipway/nonprod.kubeconfig", null, null, List.of("test", "dev"))));
        new Clusters(agreeing, model, Clock.systemUTC());
        var disagreeing = new ClustersProperties(Map.of("nonprod", new ClustersProperties.Cluster(
                "/etc/slipway/nonprod.kubeconfig", null, null, List.of("dev", "prod"))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Clusters(disagreeing, model, Clock.systemUTC()))
                .hasMessageContaining("slipway.clusters.nonprod.environments is [dev, prod]")
                .hasMessageContaining("puts [dev, test] on nonprod");
    }

    private static void create(KubernetesClient client) {
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName("checkout").withLabels(Map.of(
                        Workloads.TEAM, "payments", Workloads.SERVICE, "checkout", Workloads.ENVIRONMENT, "dev",
                        Workloads.MANAGED_BY, "Helm")).endMetadata().withNewSpec().withReplicas(0).endSpec()
                .withNewStatus().withObservedGeneration(1L).endStatus().build();
        client.apps().deployments().inNamespace("payments-dev").resource(deployment).create();
    }

    private String kubeconfigFile(String name) {
        return temp.resolve(name + ".kubeconfig").toString();
    }

    private String kubeconfig(String name, String server) throws Exception {
        var config = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .withClusters(new NamedClusterBuilder().withName(name).withNewCluster().withServer(server)
                        .withInsecureSkipTlsVerify(true).endCluster().build())
                .withContexts(new NamedContextBuilder().withName(name).withNewContext().withCluster(name)
                        .withUser("clusterUser_rg_" + name).withNamespace("default").endContext().build())
                .withCurrentContext(name).build();
        String yaml = new KubernetesSerialization().asYaml(config);
        Files.writeString(Path.of(kubeconfigFile(name)), yaml);
        return kubeconfigFile(name);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Await.until(condition, Duration.ofSeconds(30));
    }
}
