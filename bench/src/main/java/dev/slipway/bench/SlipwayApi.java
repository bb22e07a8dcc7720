package dev.slipway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Slipway's REST API as the local users see it (HTTP Basic), for one portal. */
public final class SlipwayApi implements AutoCloseable {

    public static final String PASSWORD = "slipway-local";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service to create, and who asks for it. */
    public record Request(int index, String user, String team, String name, String template) {

        private static final List<String> TEMPLATES = List.of("http-service", "worker", "cron-job");

        /**
         * The {@code index}-th request of a workload: the three local developers in turn (two teams),
         * the three built-in templates in turn, a unique name per {@code prefix} (a short DNS-1035 label).
         */
        public static Request of(String prefix, int index) {
            String user = switch (index % 3) {
                case 0 -> "dev-alice";
                case 1 -> "dev-bob";
                default -> "dev-carol";
            };
            String team = user.equals("dev-carol") ? "search" : "payments";
            return new Request(index, user, team, "%s-%06d".formatted(prefix, index), TEMPLATES.get((index / 3) % 3));
        }

        String json() {
            return JSON.createObjectNode().put("team", team).put("name", name).put("template", template).toString();
        }
    }

    /** What a request came to. */
    public enum Outcome {
        /** 202: the service and its change are stored. */
        ACCEPTED,
        /** An HTTP answer other than 202. */
        REFUSED,
        /** No answer at all (connection refused or broken, timeout): it may or may not have been stored. */
        NO_ANSWER
    }

    /**
     * One creation as the client saw it; times are {@link System#nanoTime()}.
     *
     * @param changeId  the change's id when accepted
     * @param serviceId the service's id when accepted
     * @param detail    the refusal's body or the I/O error
     */
    public record Creation(Request request, Outcome outcome, int status, String serviceId, String changeId,
                           long sentNanos, long answeredNanos, String detail) {
        public boolean accepted() {
            return outcome == Outcome.ACCEPTED;
        }
    }

    private final URI base;
    private final HttpClient http;

    public SlipwayApi(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI base() {
        return base;
    }

    /** {@code POST /api/v1/services}; never throws for I/O trouble, which is a {@link Outcome#NO_ANSWER}. */
    public Creation create(Request request) {
        var post = HttpRequest.newBuilder(base.resolve("/api/v1/services"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(request.user()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.json()))
                .build();
        long sent = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(post, HttpResponse.BodyHandlers.ofString());
            // a portal at capacity says when to come back: a well-behaved client does, the wait counted in its latency
            for (int retry = 0; response.statusCode() == 429 && retry < 30; retry++) {
                long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(Duration.ofSeconds(Math.max(1, seconds)));
                response = http.send(post, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            return new Creation(request, Outcome.NO_ANSWER, 0, null, null, sent, System.nanoTime(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Creation(request, Outcome.NO_ANSWER, 0, null, null, sent, System.nanoTime(), e.toString());
        }
        long answered = System.nanoTime();
        if (response.statusCode() != 202) {
            return new Creation(request, Outcome.REFUSED, response.statusCode(), null, null, sent, answered,
                    response.body());
        }
        JsonNode body = parse(response.body());
        return new Creation(request, Outcome.ACCEPTED, 202, body.at("/service/id").asText(),
                body.at("/change/id").asText(), sent, answered, null);
    }

    /**
     * {@code POST /api/v1/templates/{template}/preview} for the request's service: renders and checks
     * everything a creation would, stores nothing. Returns the status.
     */
    public int preview(Request request) throws IOException, InterruptedException {
        var post = HttpRequest.newBuilder(base.resolve("/api/v1/templates/" + request.template() + "/preview"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(request.user()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.json()))
                .build();
        return http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** {@code GET /api/v1/changes/{id}} as dev-alice. */
    public JsonNode change(String id) throws IOException, InterruptedException {
        return get("/api/v1/changes/" + id, "dev-alice");
    }

    /** A POST of JSON as {@code user}; returns the status. */
    public int post(String path, String user, String json) throws IOException, InterruptedException {
        var post = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(user)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public JsonNode get(String path, String user) throws IOException, InterruptedException {
        var get = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(user)).GET().build();
        HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
