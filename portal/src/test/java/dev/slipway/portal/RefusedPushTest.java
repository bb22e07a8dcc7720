package dev.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.slipway.gitops.testing.ServedRemote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The portal against a GitOps remote served over git:// with a pre-receive hook, as Azure DevOps or
 * GitHub answer: a push the remote declines fails the change once, with the remote's own words, in
 * the API and on the change's page; the changes behind it go on.
 */
class RefusedPushTest extends BrowserTest {

    static final ServedRemote REMOTE;

    static {
        try {
            REMOTE = ServedRemote.create(Files.createTempDirectory("slipway-served").resolve("gitops.git"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void remote(DynamicPropertyRegistry registry) {
        registry.add("slipway.gitops.remote", REMOTE::uri);
    }

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void acceptAgain() {
        REMOTE.refuse(null);
    }

    @AfterAll
    static void stopServing() {
        REMOTE.close();
    }

    @Test
    void aPushTheRemoteDeclinesFailsTheChangeOnceWithTheRemotesMessage() throws Exception {
        REMOTE.refuse((command, commits) -> commits.stream().anyMatch(c -> c.getShortMessage().contains("guarded"))
                ? "protected branch hook declined: main needs a review" : null);
        int pushesBefore = REMOTE.pushes();
        String refusedId = create(TestCatalog.uniqueName("guarded"));
        JsonNode failed = await(refusedId, "failed");
        assertThat(failed.path("lastError").asString())
                .isEqualTo("the remote refused the push: protected branch hook declined: main needs a review");
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);

        // the next change is not held up by the refused one
        String nextId = create(TestCatalog.uniqueName("next"));
        assertThat(await(nextId, "committed").path("commitSha").asString()).hasSize(40);
        // nothing is retried behind the user's back
        Thread.sleep(1500);
        assertThat(json(refusedId).path("state").asString()).isEqualTo("failed");
        assertThat(REMOTE.pushes() - pushesBefore).isLessThanOrEqualTo(2);

        Page page = signedIn("dev-alice");
        page.navigate(baseUrl() + "/changes/" + refusedId);
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#change-state")).hasText("Failed");
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#change-error"))
                .containsText("protected branch hook declined: main needs a review");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/change-refused.png")));
    }

    @Test
    void aStoredChangeThatCannotBeReadFailsWithTheReasonAndBlocksNothing() throws Exception {
        UUID broken = UUID.randomUUID();
        // e.g. written by an older or tampered portal: a path the writer refuses to touch
        jdbc.sql("""
                        insert into changes (id, mode, title, files, requested_by)
                        values (?, 'commit', 'Broken', '[{"path": "../outside", "content": "x", "mode": "CREATE"}]'::jsonb, 'dev-alice')""")
                .param(broken).update();
        String behind = create(TestCatalog.uniqueName("behind"));
        assertThat(await(behind, "committed").path("commitSha").asString()).hasSize(40);
        JsonNode failed = await(broken.toString(), "failed");
        assertThat(failed.path("lastError").asString()).startsWith("the stored change cannot be read: ")
                .contains("../outside");
    }

    private String create(String name) throws Exception {
        var response = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"worker\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return ApiClient.json(response).at("/change/id").asString();
    }

    private JsonNode json(String id) throws Exception {
        return ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/changes/" + id));
    }

    private JsonNode await(String id, String state) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode change;
        do {
            change = json(id);
            if (change.path("state").asString().equals(state)) {
                return change;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("change " + id + " is still " + change);
    }
}
