package dev.slipway.portal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ACR's webhook with the events Microsoft documents (fixtures/acr-webhooks, masked 2023 examples and
 * unmasked 2017 ones), as the registry delivers them: authenticated by the shared secret, each event
 * recorded once, images of repositories no service has kept for the service created later.
 */
@PortalTest
class AcrWebhookTest {

    private static final String REGISTRY = AcrEvents.REGISTRY;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyDocumentedEventIsAcceptedAndARepeatedDeliveryChangesNothing() throws Exception {
        for (String fixture : new String[] {"push.json", "push-2017.json", "delete.json", "delete-2017.json"}) {
            String body = fixture(fixture);
            var first = post(body, WebhookSecret.LOCAL);
            assertThat(first.statusCode()).as(fixture + ": " + first.body()).isEqualTo(202);
            var again = post(body, WebhookSecret.LOCAL);
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(json(again).path("outcome").asString()).as(fixture).isEqualTo("replayed");
        }
        // helm charts are not images of a service
        assertThat(json(post(fixture("chart_push.json"), WebhookSecret.LOCAL)).path("outcome").asString()).isEqualTo("ignored");
        assertThat(json(post(fixture("chart_delete.json"), WebhookSecret.LOCAL)).path("outcome").asString()).isEqualTo("ignored");
        // the masked digest of the 2023 examples is kept as it came, deleted by their delete example
        assertThat(jdbc.sql("select deleted_at is not null from images where repository = 'hello-world' and digest like 'sha256:xxxx%'")
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void anImagePushedBeforeItsServiceExistsBelongsToItOnceCreatedAndADeleteIsFinal() throws Exception {
        String name = TestCatalog.uniqueName("imaged");
        String digest = "sha256:" + "3f1c".repeat(16);
        // the documented push, for the repository the service will have, with its tag
        var push = event("push-2017.json", "payments/" + name, digest, "1.4.2", "2026-11-30T10:00:00Z");
        assertThat(json(post(push.toString(), WebhookSecret.LOCAL)).path("outcome").asString()).isEqualTo("recorded");
        // the same image and tag from another delivery: nothing new
        var repeat = event("push-2017.json", "payments/" + name, digest, "1.4.2", "2026-11-30T10:00:05Z");
        assertThat(json(post(repeat.toString(), WebhookSecret.LOCAL)).path("outcome").asString()).isEqualTo("unchanged");

        var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"worker\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode images = ApiClient.json(ApiClient.as(port, "dev-carol").get("/api/v1/services/payments/" + name + "/images"));
        assertThat(images).hasSize(1);
        assertThat(images.get(0).path("digest").asString()).isEqualTo(digest);
        assertThat(images.get(0).path("tags").toString()).isEqualTo("[\"1.4.2\"]");
        assertThat(images.get(0).path("reference").asString()).isEqualTo(REGISTRY + "/payments/" + name + "@" + digest);
        assertThat(images.get(0).path("deleted").asBoolean()).isFalse();

        // a newer image takes the tag over; a late event for the old one does not take it back
        String newer = "sha256:" + "9a0b".repeat(16);
        post(event("push-2017.json", "payments/" + name, newer, "1.4.2", "2026-11-30T11:00:00Z").toString(), WebhookSecret.LOCAL);
        post(event("push-2017.json", "payments/" + name, digest, "1.4.2", "2026-11-30T10:30:00Z").toString(), WebhookSecret.LOCAL);
        images = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/services/payments/" + name + "/images"));
        assertThat(images.get(0).path("digest").asString()).isEqualTo(newer);
        assertThat(images.get(0).path("tags").toString()).isEqualTo("[\"1.4.2\"]");
        assertThat(images.get(1).path("tags").toString()).isEqualTo("[]");

        var delete = event("delete-2017.json", "payments/" + name, newer, null, "2026-11-30T12:00:00Z");
        assertThat(json(post(delete.toString(), WebhookSecret.LOCAL)).path("outcome").asString()).isEqualTo("deleted");
        // a push delivered late, from before the delete, does not bring it back
        post(event("push-2017.json", "payments/" + name, newer, "1.4.3", "2026-11-30T11:30:00Z").toString(), WebhookSecret.LOCAL);
        images = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/services/payments/" + name + "/images"));
        assertThat(images.get(0).path("deleted").asBoolean()).isTrue();
        assertThat(images.get(0).path("tags").toString()).isEqualTo("[]");
    }

    @Test
    void withoutTheSecretNothingIsStoredAndBadEventsSayWhatIsWrong() throws Exception {
        int before = events();
        String push = event("push-2017.json", "search/" + TestCatalog.uniqueName("x"), "sha256:" + "ab".repeat(32), "1.0.0",
                "2026-11-30T10:00:00Z").toString();
        for (String wrong : new String[] {null, "", "slipway-local-webhoo", WebhookSecret.LOCAL + "x"}) {
            var refused = post(push, wrong);
            assertThat(refused.statusCode()).as(String.valueOf(wrong)).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
            assertThat(json(refused).path("detail").asString()).contains(WebhookSecret.HEADER);
        }
        assertThat(events()).isEqualTo(before);

        var truncated = post(push.substring(0, push.length() / 2), WebhookSecret.LOCAL);
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(json(truncated).path("detail").asString()).contains("not a JSON event");
        assertThat(post("[1, 2]", WebhookSecret.LOCAL).statusCode()).isEqualTo(400);

        ObjectNode noDigest = event("push-2017.json", "search/x", "sha256:" + "ab".repeat(32), "1.0.0", "2026-11-30T10:00:00Z");
        ((ObjectNode) noDigest.get("target")).remove("digest");
        ((ObjectNode) noDigest.get("target")).put("repository", "Not/A/Repository");
        var invalid = post(noDigest.toString(), WebhookSecret.LOCAL);
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(json(invalid).path("errors").findValuesAsString("field")).contains("target.digest", "target.repository");

        var huge = post("{\"id\": \"" + "a".repeat(RegistryController.MAX_EVENT_BYTES) + "\"}", WebhookSecret.LOCAL);
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void aServicesImagesAreForReadersOnly() throws Exception {
        assertThat(ApiClient.as(port, "nobody").get("/api/v1/services/payments/x/images").statusCode()).isEqualTo(403);
        assertThat(ApiClient.anonymous(port).get("/api/v1/services/payments/x/images").statusCode()).isEqualTo(401);
        assertThat(ApiClient.as(port, "dev-alice").get("/api/v1/services/payments/no-such-service/images").statusCode())
                .isEqualTo(404);
    }

    private int events() {
        return jdbc.sql("select count(*) from registry_events").query(Integer.class).single();
    }

    private static ObjectNode event(String fixture, String repository, String digest, String tag, String timestamp) {
        return AcrEvents.event(fixture, repository, digest, tag, timestamp);
    }

    private static String fixture(String name) {
        return AcrEvents.fixture(name);
    }

    private HttpResponse<String> post(String body, String secret) throws Exception {
        return AcrEvents.post(port, body, secret);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return AcrEvents.json(response);
    }
}
