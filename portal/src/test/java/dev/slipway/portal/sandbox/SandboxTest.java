package dev.slipway.portal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import dev.slipway.portal.registry.AcrEvents;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Local mode's whole flow, with no Azure and no real cluster: a service is created, an ACR push
 * makes dev follow the image, the sandbox's sync agent applies what the Application renders to the
 * sandbox cluster and plays the controllers, and the status (which reaches the sandbox through its
 * kubeconfig, as a real cluster) sees dev go progressing, then healthy; a tag with "fail" ends
 * degraded; an Application gone from Git takes what it deployed with it.
 */
@PortalTest
@TestPropertySource(properties = {"slipway.sandbox.enabled=true", "slipway.sandbox.ready-after=500ms"})
class SandboxTest {

    @LocalServerPort
    int port;
    @Autowired
    SandboxClusters sandbox;
    @Autowired
    dev.slipway.portal.database.DataDirectory data;
    @TempDir
    Path temp;

    @Test
    void aPushedImageRunsInTheSandboxAndDevTurnsHealthyAFailingTagDegradedAndAGoneApplicationIsPruned() throws Exception {
        String name = TestCatalog.uniqueName("sandboxed");
        var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"http-service\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        KubernetesClient nonprod = sandbox.client("nonprod");

        // synced: the Application is there, and dev runs nothing yet (no image pushed)
        GenericKubernetesResource application = await(() -> nonprod.genericKubernetesResources("argoproj.io/v1alpha1",
                "Application").inNamespace("argocd").withName("payments-" + name + "-dev").get(), a -> a != null
                && a.getAdditionalProperties().get("status") != null, "the Application synced");
        assertThat(application.getAdditionalProperties().get("status").toString()).contains("Synced");
        assertThat(nonprod.namespaces().withName("payments-dev").get()).isNotNull();
        assertThat(awaitState(name, "dev", "not-deployed").path("running").size()).isZero();

        String digest = "sha256:5e1d" + "2a".repeat(30);
        push(name, digest, "1.4.2", "2026-12-01T10:00:00Z");
        awaitState(name, "dev", "progressing");
        JsonNode healthy = awaitState(name, "dev", "healthy");
        assertThat(healthy.path("running").path(digest).asInt()).isPositive();
        assertThat(healthy.at("/git/digest").asString()).isEqualTo(digest);
        assertThat(healthy.at("/argoCd/sync").asString()).isEqualTo("Synced");
        assertThat(awaitState(name, "test", "not-deployed").path("running").size()).isZero();
        // the Application as Argo CD reports it: synced at the commit, healthy, the image of its spec in its summary
        await(() -> application(nonprod, name), a -> a.toString().contains("status=Healthy")
                && a.toString().contains("images=[slipwaylocal.azurecr.io/payments/" + name + "@" + digest + "]"),
                "the Application healthy with its image");

        push(name, "sha256:6f2e" + "3b".repeat(30), "1.4.3-fail", "2026-12-01T11:00:00Z");
        JsonNode degraded = awaitState(name, "dev", "degraded");
        assertThat(degraded.path("reason").asString()).isIn("ImagePullBackOff", "ProgressDeadlineExceeded");
        assertThat(degraded.path("running").path(digest).asInt()).as("the old pods still run").isPositive();
        await(() -> application(nonprod, name), a -> a.toString().contains("status=Degraded"), "the Application degraded");

        // the Application removed from Git (by hand): Argo CD prunes what it deployed
        try (Git git = Git.cloneRepository().setURI(data.path().resolve("gitops.git").toUri().toString())
                .setDirectory(temp.toFile()).call()) {
            Path file = temp.resolve("clusters/nonprod/apps/payments/" + name + "-dev.yaml");
            Files.delete(file);
            git.rm().addFilepattern("clusters/nonprod/apps/payments/" + name + "-dev.yaml").call();
            git.commit().setMessage("Remove " + name + " from dev").setAuthor("someone", "someone@example.com").call();
            git.push().call();
        }
        await(() -> nonprod.apps().deployments().inNamespace("payments-dev").withName(name).get(), d -> d == null,
                "the Deployment pruned");
        awaitState(name, "dev", "not-deployed");
    }

    private static Object application(KubernetesClient cluster, String name) {
        GenericKubernetesResource application = cluster.genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace("argocd").withName("payments-" + name + "-dev").get();
        return application == null ? "" : application.getAdditionalProperties().get("status");
    }

    private void push(String name, String digest, String tag, String at) throws Exception {
        var response = AcrEvents.post(port, AcrEvents.event("push.json", "payments/" + name, digest, tag, at).toString(),
                AcrEvents.SECRET);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private JsonNode awaitState(String name, String environment, String state) throws Exception {
        return new dev.slipway.portal.promotion.Releases(port, data.path()).awaitEnvironment(name, environment, state);
    }

    private static <T> T await(java.util.function.Supplier<T> read, Predicate<T> done, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        T value = null;
        while (Instant.now().isBefore(deadline)) {
            value = read.get();
            if (done.test(value)) {
                return value;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not in time: " + what + " (" + value + ")");
    }

}
