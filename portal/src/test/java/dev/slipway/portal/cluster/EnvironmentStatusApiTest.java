package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A service's environments over the API with what runs there, and their stored transitions: each
 * state change once, kept when the model is rebuilt (a restart) and told the same state again.
 */
@PortalTest
class EnvironmentStatusApiTest {

    static final String DIGEST = "sha256:" + "c".repeat(64);

    @LocalServerPort
    int port;
    @Autowired
    StatusModel model;
    @Autowired
    StatusHistory history;
    @Autowired
    JdbcClient jdbc;

    @Test
    void theServiceShowsEachEnvironmentsStatusAndItsHistory() throws Exception {
        String name = TestCatalog.uniqueName("watched");
        TestCatalog.insertService(jdbc, "payments", name, "");
        var key = new EnvironmentStatus.Key("payments", name, "dev");
        JsonNode before = ApiClient.json(ApiClient.as(port, "qa-quinn").get("/api/v1/services/payments/" + name));
        // prod's cluster is not watched here: what runs there is unknown, never healthy
        assertThat(before.at("/environments/2/name").asString()).isEqualTo("prod");
        assertThat(before.at("/environments/2/status/state").asString()).isEqualTo("unknown");

        model.synced("nonprod");
        model.deployment(key, new Workloads.DeploymentState("payments-dev", name, 1, 1, 2, 1, 0, 0, List.of()));
        model.pod(key, new Workloads.PodState("payments-dev", name + "-1", List.of(
                new Workloads.ContainerState(DIGEST, false, null, null))));
        model.deployment(key, new Workloads.DeploymentState("payments-dev", name, 1, 1, 1, 1, 1, 1, List.of()));

        JsonNode service = ApiClient.json(ApiClient.as(port, "qa-quinn").get("/api/v1/services/payments/" + name));
        JsonNode dev = service.at("/environments/0");
        assertThat(dev.path("name").asString()).isEqualTo("dev");
        assertThat(dev.at("/status/state").asString()).isEqualTo("healthy");
        assertThat(dev.at("/status/running").toString()).isEqualTo("{\"" + DIGEST + "\":1}");
        assertThat(dev.at("/status/ready").asInt()).isEqualTo(1);

        String path = "/api/v1/services/payments/" + name + "/environments/dev/history";
        JsonNode transitions = awaitTransitions(path, 2);
        assertThat(transitions.findValuesAsString("state")).containsExactly("healthy", "progressing");

        // a restart: the model is rebuilt and says healthy again; the history does not repeat it
        history.record(model.status(key));
        assertThat(ApiClient.json(ApiClient.as(port, "qa-quinn").get(path)).findValuesAsString("state"))
                .containsExactly("healthy", "progressing");

        // the services list filtered by state
        JsonNode healthyOnes = ApiClient.json(ApiClient.as(port, "qa-quinn").get("/api/v1/services?team=payments&state=healthy&limit=500"));
        assertThat(healthyOnes.findValuesAsString("name")).contains(name);
        JsonNode degraded = ApiClient.json(ApiClient.as(port, "qa-quinn").get("/api/v1/services?team=payments&state=degraded"));
        assertThat(degraded.findValuesAsString("name")).doesNotContain(name);
        assertThat(ApiClient.as(port, "qa-quinn").get("/api/v1/services?state=fine").statusCode()).isEqualTo(422);

        assertThat(ApiClient.as(port, "qa-quinn").get("/api/v1/services/payments/" + name + "/environments/staging/history")
                .statusCode()).isEqualTo(404);
        assertThat(ApiClient.anonymous(port).get(path).statusCode()).isEqualTo(401);
        assertThat(ApiClient.as(port, "ci-robot").get(path).statusCode()).isEqualTo(403);
    }

    private JsonNode awaitTransitions(String path, int count) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        JsonNode transitions;
        do {
            transitions = ApiClient.json(ApiClient.as(port, "qa-quinn").get(path));
            if (transitions.size() >= count) {
                return transitions;
            }
            Thread.sleep(20);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("only " + transitions);
    }
}
