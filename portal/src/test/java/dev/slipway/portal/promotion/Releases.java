package dev.slipway.portal.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.ApiClient;
import dev.slipway.portal.TestCatalog;
import dev.slipway.portal.registry.AcrEvents;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the promotion tests do through the REST API, as a team and its QA engineers would. */
public record Releases(int port, Path dataDir) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public String createService(String prefix) throws Exception {
        String name = TestCatalog.uniqueName(prefix);
        var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"http-service\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        return name;
    }

    public static String newDigest() {
        return "sha256:" + UUID.randomUUID().toString().replace("-", "").repeat(2);
    }

    public void push(String service, String digest, String tag, Instant at) throws Exception {
        var response = AcrEvents.post(port, AcrEvents.event("push.json", "payments/" + service, digest, tag,
                at.toString()).toString(), AcrEvents.SECRET);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    /** Uploads one of Trivy's golden reports (fixtures/trivy) as the image's scan, made now. */
    public void scan(String service, String digest, String fixture) throws Exception {
        ObjectNode report = (ObjectNode) JSON.readTree(Files.readString(Path.of(System.getProperty("slipway.fixtures"),
                "trivy", fixture)));
        report.put("CreatedAt", Instant.now().toString());
        var uploaded = ApiClient.as(port, "ci-robot").post("/api/v1/scans?image=" + AcrEvents.REGISTRY + "/payments/"
                + service + "@" + digest, report.toString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
    }

    public HttpResponse<String> request(String user, String service, String environment, String digest) throws Exception {
        return ApiClient.as(port, user).post("/api/v1/promotions", "{\"team\": \"payments\", \"service\": \"" + service
                + "\", \"environment\": \"" + environment + "\", \"digest\": \"" + digest + "\"}");
    }

    public JsonNode requested(String user, String service, String environment, String digest) throws Exception {
        var response = request(user, service, environment, digest);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return ApiClient.json(response);
    }

    public HttpResponse<String> decide(String user, String id, String verb, String comment) throws Exception {
        return ApiClient.as(port, user).post("/api/v1/promotions/" + id + "/" + verb,
                comment == null ? "{}" : JSON.writeValueAsString(java.util.Map.of("comment", comment)));
    }

    public JsonNode promotion(String id) throws Exception {
        var response = ApiClient.as(port, "dev-alice").get("/api/v1/promotions/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response);
    }

    public JsonNode awaitPromotion(String id, Predicate<JsonNode> done, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(40));
        JsonNode promotion = null;
        while (Instant.now().isBefore(deadline)) {
            promotion = promotion(id);
            if (done.test(promotion)) {
                return promotion;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("promotion " + id + " not " + what + " in time: " + promotion);
    }

    public JsonNode awaitState(String id, String state) throws Exception {
        return awaitPromotion(id, p -> p.path("state").asString().equals(state), state);
    }

    /** The environment's status as the service API shows it, once it is in this state. */
    public JsonNode awaitEnvironment(String service, String environment, String state) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(40));
        JsonNode status = null;
        while (Instant.now().isBefore(deadline)) {
            var detail = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/services/payments/" + service));
            for (JsonNode env : detail.path("environments")) {
                if (env.path("name").asString().equals(environment)) {
                    status = env.path("status");
                }
            }
            if (status != null && state.equals(status.path("state").asString())) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(environment + " is not " + state + ": " + status);
    }

    /** Waits until the environment runs the digest, and only it, healthy. */
    public JsonNode awaitRunning(String service, String environment, String digest) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(40));
        JsonNode status = null;
        while (Instant.now().isBefore(deadline)) {
            status = awaitEnvironment(service, environment, "healthy");
            if (status.path("running").size() == 1 && status.path("running").has(digest)) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(environment + " does not run only " + digest + ": " + status);
    }

    /** A file on the GitOps remote's main branch, or null. */
    public String onMain(String path) throws Exception {
        try (Repository repository = Git.open(dataDir.resolve("gitops.git").toFile()).getRepository();
             RevWalk walk = new RevWalk(repository)) {
            ObjectId tip = repository.resolve("refs/heads/main");
            try (TreeWalk file = TreeWalk.forPath(repository, path, walk.parseCommit(tip).getTree())) {
                return file == null ? null
                        : new String(repository.open(file.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    public String mainTip() throws Exception {
        try (Repository repository = Git.open(dataDir.resolve("gitops.git").toFile()).getRepository()) {
            return repository.resolve("refs/heads/main").name();
        }
    }

    public static java.util.List<String> states(JsonNode promotion) {
        var states = new java.util.ArrayList<String>();
        promotion.path("transitions").forEach(t -> states.add(t.path("state").asString()));
        return states;
    }
}
