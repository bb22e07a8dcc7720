package dev.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.gitops.pullrequest.PullRequestProvider;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** With pull-request mode, a creation opens a (local) pull request; once merged the change says so with the merge commit. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "slipway.gitops.mode=pull-request")
@ActiveProfiles("test")
class PullRequestModeTest {

    @LocalServerPort
    int port;

    @Autowired
    PullRequestProvider pullRequests;

    @Test
    void aCreationOpensAPullRequestAndItsMergeIsRecorded() throws Exception {
        var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + TestCatalog.uniqueName("reviewed") + "\", \"template\": \"worker\"}");
        assertThat(created.statusCode()).isEqualTo(202);
        String id = ApiClient.json(created).at("/change/id").asString();

        JsonNode open = await(id, "pull-request-open");
        assertThat(open.path("pullRequestId").asString()).isEqualTo("slipway/change-" + id);
        assertThat(open.path("pullRequestUrl").asString()).isEqualTo("/changes/" + id);

        var merged = pullRequests.merge(open.path("pullRequestId").asString());
        JsonNode done = await(id, "merged");
        assertThat(done.path("commitSha").asString()).isEqualTo(merged.mergeCommitSha());
    }

    private JsonNode await(String id, String state) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode change;
        do {
            change = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/changes/" + id));
            if (change.path("state").asString().equals(state)) {
                return change;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("change " + id + " is still " + change);
    }
}
