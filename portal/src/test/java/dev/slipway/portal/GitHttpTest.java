package dev.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Argo CD's view: the local GitOps repository can be cloned over HTTP, and never pushed to. */
@PortalTest
class GitHttpTest {

    @LocalServerPort
    int port;

    @Test
    void theGitOpsRepositoryIsClonedOverHttpButRefusesPushes(@TempDir Path clone) throws Exception {
        String name = TestCatalog.uniqueName("cloned");
        var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"worker\"}");
        assertThat(created.statusCode()).isEqualTo(202);
        String change = ApiClient.json(created).at("/change/id").asString();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/changes/" + change)).path("state").asString()
                .equals("committed") && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }

        try (Git git = Git.cloneRepository().setURI("http://localhost:" + port + "/git/gitops.git")
                .setDirectory(clone.toFile()).setBranch("main").call()) {
            assertThat(Files.readString(clone.resolve("services/payments/" + name + "/service.yaml"))).contains(name);
            Files.writeString(clone.resolve("services/payments/" + name + "/service.yaml"), "tampered\n");
            git.commit().setAll(true).setMessage("sneak in").setAuthor("mallory", "m@example.com").call();
            assertThatThrownBy(() -> git.push().call()).hasMessageContaining("git-receive-pack not permitted");
        }
        assertThat(ApiClient.anonymous(port).get("/git/other.git/info/refs?service=git-upload-pack").statusCode())
                .isEqualTo(404);
    }
}
