package dev.slipway.portal.promotion;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.database.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A production promotion through the GitHub provider (WireMock serving GitHub's own examples,
 * fixtures/github): the pull request reviewers see carries the image, the scan summary, the gate's
 * verdict and who asked; the approval merges exactly the head that was read; a newer promotion
 * closes the older one's pull request with a comment saying by what. The branch itself is pushed
 * to the GitOps remote as always.
 */
@PortalTest
class GitHubPromotionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PULLS = "/repos/octocat/Hello-World/pulls";
    private static final String HEAD_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    static final WireMockServer GITHUB = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        GITHUB.start();
    }

    @DynamicPropertySource
    static void github(DynamicPropertyRegistry registry) {
        registry.add("slipway.gitops.pull-requests", () -> "github");
        registry.add("slipway.gitops.github.api-url", GITHUB::baseUrl);
        registry.add("slipway.gitops.github.owner", () -> "octocat");
        registry.add("slipway.gitops.github.repository", () -> "Hello-World");
        registry.add("slipway.gitops.token", () -> "ghp_SlipwayTestToken0123456789abcdef");
        registry.add("slipway.promotion.environments.prod.previous-healthy", () -> "false");
        registry.add("slipway.promotion.base-url", () -> "https://slipway.example.com");
    }

    @AfterAll
    static void stop() {
        GITHUB.stop();
    }

    @LocalServerPort
    int port;
    @Autowired
    DataDirectory data;
    Releases releases;

    @BeforeEach
    void setUp() throws Exception {
        releases = new Releases(port, data.path());
        ObjectNode pullRequest = fixture("pull-request.example.json");
        GITHUB.stubFor(post(PULLS).willReturn(json(201, pullRequest)));
        GITHUB.stubFor(get(PULLS + "/1347").willReturn(json(200, pullRequest)));
        GITHUB.stubFor(get(urlPathEqualTo(PULLS)).willReturn(json(200, JSON.createArrayNode().add(pullRequest))));
        GITHUB.stubFor(put(PULLS + "/1347/merge").willReturn(json(200,
                fixture("pull-request-merge-result-response-if-merge-was-successful.example.json"))));
        GITHUB.stubFor(post("/repos/octocat/Hello-World/issues/1347/comments").willReturn(json(201, JSON.createObjectNode()
                .put("id", 1))));
        GITHUB.stubFor(patch(urlEqualTo(PULLS + "/1347")).willReturn(json(200, fixture("pull-request.example.json")
                .put("state", "closed"))));
    }

    @Test
    void reviewersSeeTheGateInThePullRequestAndTheApprovalMergesTheHeadThatWasRead() throws Exception {
        String service = releases.createService("github");
        String digest = Releases.newDigest();
        releases.push(service, digest, "4.2.0", Instant.now());
        releases.scan(service, digest, "sl-micro-rancher5.4.json.golden");

        JsonNode prod = releases.requested("dev-alice", service, "prod", digest);
        String id = prod.path("id").asString();
        JsonNode open = releases.awaitPromotion(id, p -> p.at("/pullRequest/state").asString().equals("pull-request-open"),
                "with its pull request open");
        assertThat(open.at("/pullRequest/url").asString()).isEqualTo("https://github.com/octocat/Hello-World/pull/1347");

        JsonNode opened = JSON.readTree(GITHUB.findAll(postRequestedFor(urlEqualTo(PULLS))).stream()
                .filter(r -> r.getBodyAsString().contains(service)).findFirst().orElseThrow().getBodyAsString());
        assertThat(opened.path("title").asString()).startsWith("Promote payments/" + service + " 4.2.0 (sha256:")
                .endsWith("to prod");
        assertThat(opened.path("head").asString()).isEqualTo("slipway/change-" + open.path("change").asString());
        assertThat(opened.path("base").asString()).isEqualTo("main");
        assertThat(opened.path("body").asString())
                .contains("requested by dev-alice")
                .contains("slipwaylocal.azurecr.io/payments/" + service + "@" + digest)
                .contains("Scan: 0 critical, 0 high, 0 medium, 0 low, 0 unknown")
                .contains("Gate: passes")
                .contains("Approvals needed: 1 QA engineer(s)")
                .contains("https://slipway.example.com/promotions/" + id);

        assertThat(releases.decide("qa-quinn", id, "approve", "ok").statusCode()).isEqualTo(200);
        JsonNode merged = releases.awaitPromotion(id, p -> p.at("/pullRequest/state").asString().equals("merged"), "merged");
        GITHUB.verify(putRequestedFor(urlEqualTo(PULLS + "/1347/merge"))
                .withRequestBody(equalToJson("{\"merge_method\": \"merge\", \"sha\": \"" + HEAD_SHA + "\"}")));
        assertThat(merged.path("commit").asString()).isEqualTo(HEAD_SHA);
        assertThat(releases.awaitState(id, "deploying").path("transitions").toString()).contains("merged as " + HEAD_SHA);
    }

    @Test
    void aNewerPromotionClosesTheOlderPullRequestWithACommentSayingByWhat() throws Exception {
        String service = releases.createService("github-superseded");
        String first = Releases.newDigest();
        releases.push(service, first, "5.0.0", Instant.now());
        releases.scan(service, first, "sl-micro-rancher5.4.json.golden");
        String older = releases.requested("dev-alice", service, "prod", first).path("id").asString();
        releases.awaitPromotion(older, p -> p.at("/pullRequest/state").asString().equals("pull-request-open"), "open");

        String second = Releases.newDigest();
        releases.push(service, second, "5.0.1", Instant.now());
        releases.scan(service, second, "sl-micro-rancher5.4.json.golden");
        String newer = releases.requested("dev-bob", service, "prod", second).path("id").asString();

        JsonNode superseded = releases.awaitPromotion(older, p -> p.at("/pullRequest/state").asString().equals("failed"),
                "with its pull request closed");
        assertThat(superseded.path("state").asString()).isEqualTo("superseded");
        String comment = JSON.readTree(GITHUB.findAll(postRequestedFor(urlEqualTo(
                        "/repos/octocat/Hello-World/issues/1347/comments"))).stream()
                .filter(r -> r.getBodyAsString().contains(newer)).findFirst().orElseThrow().getBodyAsString())
                .path("body").asString();
        assertThat(comment).contains("superseded by promotion " + newer).contains("5.0.1").contains("dev-bob");
        GITHUB.verify(patchRequestedFor(urlEqualTo(PULLS + "/1347")).withRequestBody(equalToJson("{\"state\": \"closed\"}")));
    }

    private static ObjectNode fixture(String name) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Path.of(System.getProperty("slipway.fixtures"), "github", name)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, JsonNode body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body.toString());
    }
}
