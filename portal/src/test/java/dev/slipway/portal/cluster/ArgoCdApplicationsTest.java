package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.environment.Environments;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Argo CD's Applications, read where the cluster serves the kind and ignored where it does not; their
 * health counts only once Argo CD reconciled after its last operation finished (kargo#7032).
 */
class ArgoCdApplicationsTest {

    static final EnvironmentStatus.Key KEY = new EnvironmentStatus.Key("payments", "checkout", "dev");
    static final String REVISION = "4c1f0a9e8b7d6c5b4a39281706f5e4d3c2b1a098";

    final StatusModel model = new StatusModel(new Environments(null), Clock.systemUTC());

    @Test
    void anApplicationsSyncHealthAndRevisionAreReadAndAStaleHealthIsUnknown() throws Exception {
        try (var cluster = TestCluster.on(0)) {
            ArgoCdCrd.install(cluster.client);
            var watch = watching(cluster);
            try {
                // just synced: the operation finished after the last reconciliation, so its health is stale
                apply(cluster, application("Synced", "Healthy", "Succeeded", "2026-12-01T10:00:05Z", "2026-12-01T10:00:00Z"));
                EnvironmentStatus stale = await(s -> s.argo() != null);
                assertThat(stale.argo()).isEqualTo(new EnvironmentStatus.ArgoCd("Synced", Applications.UNKNOWN, REVISION));

                // reconciled since: the health is Argo CD's again
                apply(cluster, application("Synced", "Degraded", "Succeeded", "2026-12-01T10:00:05Z", "2026-12-01T10:00:08Z"));
                EnvironmentStatus fresh = await(s -> s.argo() != null && !Applications.UNKNOWN.equals(s.argo().health()));
                assertThat(fresh.argo()).isEqualTo(new EnvironmentStatus.ArgoCd("Synced", "Degraded", REVISION));

                // an operation running: stale again
                apply(cluster, application("OutOfSync", "Healthy", "Running", null, "2026-12-01T10:01:00Z"));
                EnvironmentStatus syncing = await(s -> s.argo() != null && "OutOfSync".equals(s.argo().sync()));
                assertThat(syncing.argo().health()).isEqualTo(Applications.UNKNOWN);

                cluster.client.genericKubernetesResources(Applications.CONTEXT).inNamespace("argocd").withName("payments-checkout-dev")
                        .delete();
                assertThat(await(s -> s.argo() == null).argo()).isNull();
            } finally {
                watch.close();
            }
        }
    }

    @Test
    void aClusterWithoutArgoCdIsWatchedAllTheSame() throws Exception {
        try (var cluster = TestCluster.on(0)) {
            var watch = watching(cluster);
            try {
                assertThat(model.isSynced("nonprod")).isTrue();
                assertThat(cluster.requests()).noneMatch(r -> r.getPath().contains("/applications"));
                assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.NOT_DEPLOYED);
                assertThat(model.status(KEY).argo()).isNull();
            } finally {
                watch.close();
            }
        }
    }

    private ClusterWatch watching(TestCluster cluster) throws Exception {
        return Await.watching(new ClusterWatch("nonprod", cluster.client, model));
    }

    private static void apply(TestCluster cluster, GenericKubernetesResource application) {
        cluster.client.genericKubernetesResources(Applications.CONTEXT).inNamespace("argocd").resource(application)
                .createOr(a -> a.update());
    }

    /** An Application as Slipway generates it (multi-source: the chart and the $values ref), with Argo CD's status. */
    private static GenericKubernetesResource application(String sync, String health, String phase, String finishedAt,
                                                         String reconciledAt) {
        var operation = new java.util.LinkedHashMap<String, Object>();
        operation.put("phase", phase);
        if (finishedAt != null) {
            operation.put("finishedAt", finishedAt);
        }
        return new GenericKubernetesResourceBuilder().withApiVersion(Applications.API_VERSION).withKind(Applications.KIND)
                .withNewMetadata().withName("payments-checkout-dev").withNamespace("argocd").withLabels(Map.of(
                        Workloads.MANAGED_BY, "slipway", Workloads.TEAM, "payments", Workloads.SERVICE, "checkout",
                        Workloads.ENVIRONMENT, "dev")).endMetadata()
                .addToAdditionalProperties("spec", Map.of("project", "payments"))
                .addToAdditionalProperties("status", Map.of(
                        "sync", Map.of("status", sync, "revisions", List.of(REVISION, "0123456789abcdef0123456789abcdef01234567")),
                        "health", Map.of("status", health),
                        "operationState", operation,
                        "reconciledAt", reconciledAt))
                .build();
    }

    private EnvironmentStatus await(Predicate<EnvironmentStatus> condition) throws InterruptedException {
        return Await.status(model, KEY, condition);
    }
}
