package dev.slipway.portal.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** ACR's documented webhook events (fixtures/acr-webhooks), made to name an image, and sent as ACR sends them. */
public final class AcrEvents {

    public static final String REGISTRY = "slipwaylocal.azurecr.io";
    public static final String SECRET = WebhookSecret.LOCAL;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AcrEvents() {
    }

    /** A documented event with its repository, digest, tag and time set (and an id of its own). */
    public static ObjectNode event(String fixture, String repository, String digest, String tag, String timestamp) {
        ObjectNode event = (ObjectNode) JSON.readTree(fixture(fixture));
        event.put("id", UUID.randomUUID().toString());
        event.put("timestamp", timestamp);
        ObjectNode target = (ObjectNode) event.get("target");
        target.put("repository", repository);
        target.put("digest", digest);
        if (tag != null) {
            target.put("tag", tag);
        }
        ((ObjectNode) event.get("request")).put("host", REGISTRY);
        return event;
    }

    public static String fixture(String name) {
        String root = System.getProperty("slipway.fixtures");
        if (root == null) {
            throw new IllegalStateException("slipway.fixtures is not set: run the tests through Maven");
        }
        try {
            return Files.readString(Path.of(root, "acr-webhooks", name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static HttpResponse<String> post(int port, String body, String secret) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/acr"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header(WebhookSecret.HEADER, secret);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
