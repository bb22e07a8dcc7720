package dev.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The REST API's doors, as a client sees them: who gets in, who is refused, and how. */
@PortalTest
class ApiAccessTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    String checkout;

    @BeforeEach
    void aServiceExists() {
        checkout = TestCatalog.uniqueName("checkout");
        TestCatalog.insertService(jdbc, "payments", checkout, "Takes the money: \"quotes\", colons: and\nnewlines");
    }

    @Test
    void withoutCredentialsTheApiAnswers401AsAProblem() throws Exception {
        var response = get("/api/v1/services", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(json(response).path("status").asInt()).isEqualTo(401);
    }

    @Test
    void aWrongPasswordIs401NotARedirect() throws Exception {
        var response = get("/api/v1/services", "dev-alice:wrong");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("title").asString()).isEqualTo("Unauthorized");
    }

    @Test
    void aSignedInUserWithoutAnyRoleIsRefused403() throws Exception {
        var response = get("/api/v1/services", "nobody:slipway-local");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).path("detail").asString()).contains("no Slipway role");
    }

    @Test
    void everyRoleReadsTheCatalog() throws Exception {
        for (String user : new String[] {"dev-alice", "dev-carol", "qa-quinn", "sec-sam", "admin-ada"}) {
            var response = get("/api/v1/services?team=payments&name=" + checkout, user + ":slipway-local");
            assertThat(response.statusCode()).as(user).isEqualTo(200);
            JsonNode list = json(response);
            assertThat(list.size()).isEqualTo(1);
            assertThat(list.get(0).path("name").asString()).isEqualTo(checkout);
            assertThat(list.get(0).path("team").asString()).isEqualTo("payments");
            assertThat(response.headers().firstValue("X-Total-Count")).hasValue("1");
        }
    }

    @Test
    void listsServicesByTeamAndPagesThroughThem() throws Exception {
        String prefix = TestCatalog.uniqueName("pager");
        for (int i = 0; i < 5; i++) {
            TestCatalog.insertService(jdbc, "search", prefix + "-" + i, "");
        }
        var firstPage = get("/api/v1/services?team=search&name=" + prefix + "&limit=2", "dev-alice:slipway-local");
        assertThat(firstPage.statusCode()).isEqualTo(200);
        assertThat(firstPage.headers().firstValue("X-Total-Count")).hasValue("5");
        assertThat(json(firstPage).findValuesAsString("name")).containsExactly(prefix + "-0", prefix + "-1");
        var lastPage = get("/api/v1/services?team=search&name=" + prefix + "&offset=4&limit=2", "dev-alice:slipway-local");
        assertThat(json(lastPage).findValuesAsString("name")).containsExactly(prefix + "-4");
        var otherTeam = get("/api/v1/services?team=payments&name=" + prefix, "dev-alice:slipway-local");
        assertThat(json(otherTeam).size()).isZero();
    }

    @Test
    void showsOneServiceWithItsEnvironments() throws Exception {
        var response = get("/api/v1/services/payments/" + checkout, "dev-bob:slipway-local");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode service = json(response);
        assertThat(service.path("description").asString()).isEqualTo("Takes the money: \"quotes\", colons: and\nnewlines");
        assertThat(service.path("environments").findValuesAsString("name")).containsExactly("dev", "test", "prod");
        assertThat(service.path("environments").findValuesAsString("namespace"))
                .containsExactly("payments-dev", "payments-test", "payments-prod");
    }

    @Test
    void unknownTeamsAndServicesAre404Problems() throws Exception {
        var unknownService = get("/api/v1/services/payments/does-not-exist", "dev-alice:slipway-local");
        assertThat(unknownService.statusCode()).isEqualTo(404);
        assertThat(json(unknownService).path("detail").asString()).isEqualTo("Team payments has no service named does-not-exist.");

        var unknownTeam = get("/api/v1/services/no-such-team/" + checkout, "dev-alice:slipway-local");
        assertThat(unknownTeam.statusCode()).isEqualTo(404);
        assertThat(json(unknownTeam).path("detail").asString()).isEqualTo("There is no team named no-such-team.");

        var filterByUnknownTeam = get("/api/v1/services?team=no-such-team", "dev-alice:slipway-local");
        assertThat(filterByUnknownTeam.statusCode()).isEqualTo(404);

        var unknownPath = get("/api/v1/no-such-thing", "dev-alice:slipway-local");
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownPath.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void badPagingIsAClearProblem() throws Exception {
        assertThat(get("/api/v1/services?limit=abc", "dev-alice:slipway-local").statusCode()).isEqualTo(400);
        var tooMany = get("/api/v1/services?limit=100000", "dev-alice:slipway-local");
        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(json(tooMany).path("errors").get(0).path("field").asString()).isEqualTo("limit");
    }

    @Test
    void operationsEndpointsAreOpenToProbesButMetricsNeedAPlatformAdmin() throws Exception {
        var readiness = get("/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(json(readiness).path("status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", null).body()).contains("jvm_memory_used_bytes");
        assertThat(get("/actuator/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/metrics", "dev-alice:slipway-local").statusCode()).isEqualTo(403);
        assertThat(get("/actuator/metrics", "admin-ada:slipway-local").statusCode()).isEqualTo(200);
    }

    @Test
    void theApiIsDescribedByOpenApi() throws Exception {
        var docs = get("/v3/api-docs", null);
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode paths = json(docs).path("paths");
        assertThat(paths.has("/api/v1/services")).isTrue();
        assertThat(paths.has("/api/v1/services/{team}/{name}")).isTrue();
        // images, scans and waivers
        for (String path : java.util.List.of("/api/v1/webhooks/acr", "/api/v1/scans", "/api/v1/services/{team}/{name}/images",
                "/api/v1/services/{team}/{name}/images/{digest}", "/api/v1/services/{team}/{name}/images/{digest}/gate",
                "/api/v1/waivers", "/api/v1/waivers/{id}", "/api/v1/images")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        // promotions and the audit log
        for (String path : java.util.List.of("/api/v1/promotions", "/api/v1/promotions/queue", "/api/v1/promotions/{id}",
                "/api/v1/promotions/{id}/approve", "/api/v1/promotions/{id}/reject", "/api/v1/promotions/{id}/cancel",
                "/api/v1/audit", "/api/v1/audit/verify")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        assertThat(paths.path("/api/v1/promotions").has("post")).isTrue();
        assertThat(paths.path("/api/v1/audit").path("get").path("parameters").findValuesAsString("name"))
                .contains("team", "service", "actor", "action", "from", "to");
        assertThat(paths.path("/api/v1/waivers").has("post")).isTrue();
        assertThat(paths.path("/api/v1/waivers/{id}").has("delete")).isTrue();
        assertThat(get("/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        return (credentials == null ? ApiClient.anonymous(port) : ApiClient.as(port, credentials)).get(path);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return ApiClient.json(response);
    }
}
