package dev.slipway.portal.promotion;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.database.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The decisions around a production promotion, with a quorum of two QA engineers and chat webhooks
 * (WireMock standing in for Teams and Slack): the pull request is merged only on the second
 * approval; Git unreachable at that moment keeps the approvals and merges once it is back; a pull
 * request merged outside Slipway is recorded with who merged it; two promotions racing to prod are
 * never both merged; a promotion with no decision expires (on a clock the test moves).
 * Prod here does not ask that test run the image first: no cluster runs anything in this context.
 */
@PortalTest
@Import(PromotionDecisionsTest.Clocks.class)
@TestPropertySource(properties = {"slipway.promotion.required-approvals=2",
        "slipway.promotion.environments.prod.previous-healthy=false"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PromotionDecisionsTest {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
    static final WireMockServer CHAT = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        CHAT.start();
    }

    @DynamicPropertySource
    static void webhooks(DynamicPropertyRegistry registry) {
        // a list binds from one property source: all of it here
        registry.add("slipway.promotion.notifications.webhooks[0].name", () -> "qa-teams");
        registry.add("slipway.promotion.notifications.webhooks[0].format", () -> "teams");
        registry.add("slipway.promotion.notifications.webhooks[1].name", () -> "qa-slack");
        registry.add("slipway.promotion.notifications.webhooks[1].format", () -> "slack");
        registry.add("slipway.promotion.notifications.webhooks[1].events", () -> "awaiting-approval");
        registry.add("slipway.promotion.notifications.webhooks[0].url", () -> CHAT.baseUrl() + "/teams");
        registry.add("slipway.promotion.notifications.webhooks[1].url", () -> CHAT.baseUrl() + "/slack");
    }

    @AfterAll
    static void stopChat() {
        CHAT.stop();
    }

    /** The portal's clock: real time, which a test can move ahead. */
    static final class AheadClock extends Clock {
        volatile Duration ahead = Duration.ZERO;

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        AheadClock aheadClock() {
            return new AheadClock();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DataDirectory data;
    @Autowired
    AheadClock clock;
    @TempDir
    Path temp;
    Releases releases;

    @BeforeEach
    void setUp() {
        releases = new Releases(port, data.path());
        CHAT.stubFor(post("/teams").willReturn(aResponse().withStatus(202)));
        CHAT.stubFor(post("/slack").willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    private String[] scanned(String prefix) throws Exception {
        String service = releases.createService(prefix);
        String digest = Releases.newDigest();
        releases.push(service, digest, "2.0.0", Instant.now());
        releases.scan(service, digest, "sl-micro-rancher5.4.json.golden");
        return new String[] {service, digest};
    }

    private JsonNode awaitingWithPullRequest(String[] ready) throws Exception {
        JsonNode prod = releases.requested("dev-alice", ready[0], "prod", ready[1]);
        assertThat(prod.path("state").asString()).as(prod.toString()).isEqualTo("awaiting-approval");
        return releases.awaitPromotion(prod.path("id").asString(),
                p -> p.at("/pullRequest/state").asString().equals("pull-request-open"), "with its pull request open");
    }

    @Test
    @Order(1)
    void aQuorumOfTwoMergesOnlyOnTheSecondApprovalAndTheChannelsHearOfIt() throws Exception {
        CHAT.stubFor(post("/teams").inScenario("teams").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        CHAT.stubFor(post("/teams").inScenario("teams").whenScenarioStateIs("up").willReturn(aResponse().withStatus(202)));
        String[] ready = scanned("quorum");
        JsonNode prod = awaitingWithPullRequest(ready);
        String id = prod.path("id").asString();
        String prodValues = "services/payments/" + ready[0] + "/prod/values.yaml";

        var first = releases.decide("qa-quinn", id, "approve", "ok by me");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode once = ApiClient.json(first);
        assertThat(once.path("state").asString()).isEqualTo("awaiting-approval");
        assertThat(once.path("approvals").asInt()).isEqualTo(1);
        assertThat(releases.decide("qa-quinn", id, "approve", "again").statusCode()).isEqualTo(409);
        Thread.sleep(500);
        assertThat(releases.onMain(prodValues)).doesNotContain(ready[1]);

        var second = releases.decide("qa-rita", id, "approve", "ok");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode merged = releases.awaitPromotion(id, p -> p.at("/pullRequest/state").asString().equals("merged"), "merged");
        assertThat(merged.path("state").asString()).isIn("committing", "deploying");
        assertThat(releases.onMain(prodValues)).contains(ready[1]);

        // Teams refused the first message (503): it is posted again, not lost; Slack takes only awaiting-approval
        awaitRequests("/teams", 2, id, "awaits QA");
        String teams = CHAT.findAll(postRequestedFor(urlEqualTo("/teams"))).stream().map(r -> r.getBodyAsString())
                .filter(b -> b.contains(id)).findFirst().orElseThrow();
        JsonNode card = JSON.readTree(teams);
        assertThat(card.at("/attachments/0/contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(teams).contains("awaits QA's approval").contains("/promotions/" + id);
        awaitRequests("/slack", 1, id);
        JsonNode slack = JSON.readTree(CHAT.findAll(postRequestedFor(urlEqualTo("/slack"))).stream()
                .map(r -> r.getBodyAsString()).filter(b -> b.contains(id)).findFirst().orElseThrow());
        assertThat(slack.path("text").asString()).contains("awaits QA's approval");
        assertThat(slack.path("blocks").size()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void gitUnreachableAtMergeTimeKeepsTheApprovalsAndMergesOnceItIsBack() throws Exception {
        String[] ready = scanned("unreachable");
        String id = awaitingWithPullRequest(ready).path("id").asString();
        assertThat(releases.decide("qa-quinn", id, "approve", null).statusCode()).isEqualTo(200);
        Path remote = data.path().resolve("gitops.git");
        Path away = data.path().resolve("gitops.git.away");
        Files.move(remote, away);
        try {
            assertThat(releases.decide("qa-rita", id, "approve", null).statusCode()).isEqualTo(200);
            JsonNode waiting = releases.awaitPromotion(id, p -> !p.path("lastError").isMissingNode(), "retrying");
            assertThat(waiting.path("state").asString()).isEqualTo("committing");
            assertThat(waiting.path("approvals").asInt()).isEqualTo(2);
        } finally {
            Files.move(away, remote);
        }
        JsonNode merged = releases.awaitPromotion(id, p -> p.at("/pullRequest/state").asString().equals("merged"), "merged");
        assertThat(merged.path("decisions").size()).isEqualTo(2);
        assertThat(releases.onMain("services/payments/" + ready[0] + "/prod/values.yaml")).contains(ready[1]);
    }

    @Test
    @Order(3)
    void aPullRequestMergedOutsideSlipwayIsRecordedWithWhoMergedIt() throws Exception {
        String[] ready = scanned("outside");
        JsonNode prod = awaitingWithPullRequest(ready);
        String id = prod.path("id").asString();
        String branch = "slipway/change-" + prod.path("change").asString();
        try (Git git = Git.cloneRepository().setURI(data.path().resolve("gitops.git").toUri().toString())
                .setDirectory(temp.toFile()).call()) {
            git.merge().include(git.getRepository().resolve("refs/remotes/origin/" + branch))
                    .setFastForward(MergeCommand.FastForwardMode.NO_FF).setCommit(false).call();
            git.commit().setMessage("Merge " + branch + " by hand")
                    .setAuthor(new PersonIdent("Olga Outside", "olga@example.com"))
                    .setCommitter(new PersonIdent("Olga Outside", "olga@example.com")).call();
            git.push().call();
        }
        JsonNode deploying = releases.awaitState(id, "deploying");
        JsonNode transition = deploying.path("transitions").get(deploying.path("transitions").size() - 1);
        assertThat(transition.path("actor").asString()).isEqualTo("Olga Outside");
        assertThat(transition.path("reason").asString()).contains("merged outside Slipway");
        assertThat(deploying.path("decisions").size()).isZero();
    }

    @Test
    @Order(4)
    void aPullRequestClosedOutsideSlipwayCancelsThePromotion() throws Exception {
        String[] ready = scanned("closed");
        JsonNode prod = awaitingWithPullRequest(ready);
        String id = prod.path("id").asString();
        String branch = "slipway/change-" + prod.path("change").asString();
        // a local pull request is closed by deleting its branch, as a reviewer would on the remote
        try (Git git = Git.open(data.path().resolve("gitops.git").toFile())) {
            git.branchDelete().setBranchNames(branch).setForce(true).call();
        }
        JsonNode cancelled = releases.awaitState(id, "cancelled");
        JsonNode transition = cancelled.path("transitions").get(cancelled.path("transitions").size() - 1);
        assertThat(transition.path("reason").asString()).contains("closed outside Slipway");
        assertThat(releases.decide("qa-quinn", id, "approve", null).statusCode()).isEqualTo(409);
        assertThat(releases.onMain("services/payments/" + ready[0] + "/prod/values.yaml")).doesNotContain(ready[1]);
    }

    @Test
    @Order(4)
    void twoPromotionsRacingToProdAreNeverBothMerged() throws Exception {
        String[] ready = scanned("racing");
        String service = ready[0];
        String id = awaitingWithPullRequest(ready).path("id").asString();
        assertThat(releases.decide("qa-quinn", id, "approve", null).statusCode()).isEqualTo(200);
        String newer = Releases.newDigest();
        releases.push(service, newer, "2.1.0", Instant.now());
        releases.scan(service, newer, "sl-micro-rancher5.4.json.golden");

        try (var pool = Executors.newFixedThreadPool(2)) {
            Future<java.net.http.HttpResponse<String>> approval = pool.submit(
                    (Callable<java.net.http.HttpResponse<String>>) () -> releases.decide("qa-rita", id, "approve", null));
            Future<java.net.http.HttpResponse<String>> request = pool.submit(
                    (Callable<java.net.http.HttpResponse<String>>) () -> releases.request("dev-bob", service, "prod", newer));
            assertThat(approval.get().statusCode()).as(approval.get().body()).isIn(200, 409);
            assertThat(request.get().statusCode()).as(request.get().body()).isEqualTo(202);
            String newerId = ApiClient.json(request.get()).path("id").asString();
            Thread.sleep(3000); // long enough for any merge that would happen
            JsonNode first = releases.promotion(id);
            JsonNode second = releases.promotion(newerId);
            boolean firstMerged = first.at("/pullRequest/state").asString().equals("merged");
            boolean secondMerged = second.at("/pullRequest/state").asString().equals("merged");
            assertThat(firstMerged && secondMerged).as(first + "\n" + second).isFalse();
            if (firstMerged) {
                assertThat(second.path("state").asString()).isEqualTo("blocked");
                assertThat(second.path("reasons").findValuesAsString("rule")).contains("promotion-on-its-way");
            } else {
                assertThat(first.path("state").asString()).isEqualTo("superseded");
                assertThat(second.path("state").asString()).isEqualTo("awaiting-approval");
            }
        }
    }

    @Test
    @Order(5)
    void aPromotionWithNoDecisionExpiresAndItsPullRequestIsClosed() throws Exception {
        String[] ready = scanned("expiring");
        String id = awaitingWithPullRequest(ready).path("id").asString();
        clock.ahead = Duration.ofDays(13);
        Thread.sleep(1500);
        assertThat(releases.promotion(id).path("state").asString()).isEqualTo("awaiting-approval");
        clock.ahead = Duration.ofDays(14).plusMinutes(1);
        JsonNode expired = releases.awaitState(id, "expired");
        assertThat(expired.path("transitions").get(expired.path("transitions").size() - 1).path("reason").asString())
                .contains("14 days");
        releases.awaitPromotion(id, p -> p.at("/pullRequest/state").asString().equals("failed"), "with its pull request closed");
        assertThat(releases.decide("qa-quinn", id, "approve", null).statusCode()).isEqualTo(409);
        assertThat(releases.decide("dev-alice", id, "cancel", null).statusCode()).isEqualTo(409);
    }

    /** Waits for {@code count} messages to the path whose body contains every one of {@code parts}. */
    private static void awaitRequests(String path, int count, String... parts) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        long seen = 0;
        while (Instant.now().isBefore(deadline)) {
            seen = CHAT.findAll(postRequestedFor(urlEqualTo(path))).stream()
                    .filter(r -> java.util.Arrays.stream(parts).allMatch(r.getBodyAsString()::contains)).count();
            if (seen >= count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " got " + seen + " message(s) with " + String.join(", ", parts) + ", not " + count);
    }
}
