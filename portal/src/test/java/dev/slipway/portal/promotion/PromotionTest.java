package dev.slipway.portal.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.database.DataDirectory;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Releases through the REST API, end to end in local mode: real PostgreSQL, the GitOps remote, the
 * local pull requests, and the sandbox cluster (its sync agent applies what Git says, so "deployed"
 * means the clusters run the digest healthy). Dev follows a push; a developer promotes to test,
 * committed at once; prod is a pull request only a QA engineer who did not ask for it may approve.
 */
@PortalTest
@TestPropertySource(properties = {"slipway.sandbox.enabled=true", "slipway.sandbox.ready-after=500ms"})
class PromotionTest {

    @LocalServerPort
    int port;
    @Autowired
    DataDirectory data;
    Releases releases;

    @BeforeEach
    void setUp() {
        releases = new Releases(port, data.path());
    }

    /** A service whose image runs healthy in dev and test, scanned clean: ready for prod. */
    private String[] inTest(String prefix) throws Exception {
        String service = releases.createService(prefix);
        String digest = Releases.newDigest();
        releases.push(service, digest, "1.0.0", Instant.now());
        releases.scan(service, digest, "sl-micro-rancher5.4.json.golden");
        releases.awaitEnvironment(service, "dev", "healthy");
        JsonNode test = releases.requested("dev-alice", service, "test", digest);
        releases.awaitState(test.path("id").asString(), "deployed");
        return new String[] {service, digest};
    }

    @Test
    void aReleaseGoesToTestAtOnceAndToProdOnlyWithTheApprovalOfAQaEngineerWhoDidNotAskForIt() throws Exception {
        String service = releases.createService("released");
        String digest = Releases.newDigest();
        releases.push(service, digest, "1.0.0", Instant.now());
        releases.scan(service, digest, "sl-micro-rancher5.4.json.golden");
        releases.awaitEnvironment(service, "dev", "healthy");

        // test: a developer of the team, committed at once, followed until it runs healthy
        JsonNode test = releases.requested("dev-alice", service, "test", digest);
        assertThat(test.path("needsApproval").asBoolean()).isFalse();
        JsonNode deployedInTest = releases.awaitState(test.path("id").asString(), "deployed");
        assertThat(Releases.states(deployedInTest)).containsExactly("requested", "committing", "deploying", "deployed");
        assertThat(deployedInTest.path("commit").asString()).hasSize(40);
        assertThat(releases.awaitEnvironment(service, "test", "healthy").path("running").has(digest)).isTrue();

        // prod: a pull request at once, with what reviewers need in it
        JsonNode prod = releases.requested("dev-alice", service, "prod", digest);
        String id = prod.path("id").asString();
        assertThat(prod.path("state").asString()).isEqualTo("awaiting-approval");
        assertThat(prod.path("gate").path("passes").asBoolean()).isTrue();
        assertThat(prod.path("gate").path("previousState").asString()).isEqualTo("healthy");
        JsonNode open = releases.awaitPromotion(id, p -> p.at("/pullRequest/state").asString().equals("pull-request-open"),
                "with its pull request open");
        assertThat(open.at("/pullRequest/url").asString()).isNotBlank();
        String prodValues = "services/payments/" + service + "/prod/values.yaml";
        assertThat(releases.onMain(prodValues)).doesNotContain(digest);

        // neither the requester nor another developer of the team may approve: 403, nothing changes
        String tip = releases.mainTip();
        for (String developer : new String[] {"dev-alice", "dev-bob"}) {
            var refused = releases.decide(developer, id, "approve", "looks fine");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(releases.promotion(id).path("state").asString()).isEqualTo("awaiting-approval");
        assertThat(releases.promotion(id).path("decisions").size()).isZero();
        assertThat(releases.mainTip()).isEqualTo(tip);

        // QA approves: the pull request is merged with the digest pinned, and prod runs it healthy
        var approved = releases.decide("qa-quinn", id, "approve", "Regression suite green");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        JsonNode deployed = releases.awaitState(id, "deployed");
        assertThat(Releases.states(deployed)).containsExactly("requested", "awaiting-approval", "approved", "committing",
                "deploying", "deployed");
        assertThat(deployed.path("decisions").get(0).path("by").asString()).isEqualTo("qa-quinn");
        assertThat(deployed.path("decisions").get(0).path("comment").asString()).isEqualTo("Regression suite green");
        assertThat(deployed.at("/pullRequest/state").asString()).isEqualTo("merged");
        assertThat(releases.onMain(prodValues)).contains(digest).contains("1.0.0");
        assertThat(releases.awaitEnvironment(service, "prod", "healthy").path("running").has(digest)).isTrue();

        // deciding again, or deciding what is done: 409 and nothing changes
        var twice = releases.decide("qa-quinn", id, "approve", null);
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(409);
        var late = releases.decide("qa-rita", id, "reject", "too late");
        assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
        assertThat(releases.promotion(id).path("decisions").size()).isEqualTo(1);

        // every move is in the audit log, found by team, service, action and actor
        var audit = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit?team=payments&service=" + service
                + "&action=promotion."));
        var actions = new java.util.ArrayList<String>();
        audit.forEach(entry -> actions.add(entry.path("actor").asString() + " " + entry.path("action").asString()));
        assertThat(actions).contains("dev-alice promotion.requested", "dev-alice promotion.awaiting-approval",
                "qa-quinn promotion.approval", "qa-quinn promotion.approved", "slipway promotion.deployed")
                .allMatch(a -> a.contains(" promotion."));
        var byQuinn = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit?actor=qa-quinn&service=" + service));
        assertThat(byQuinn.size()).isEqualTo(2);
        var created = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit?service=" + service
                + "&action=service.created&from=" + Instant.now().minusSeconds(600)));
        assertThat(created.size()).isEqualTo(1);
        assertThat(ApiClient.as(port, "admin-ada").get("/api/v1/audit?from=yesterday").statusCode()).isEqualTo(422);
        assertThat(ApiClient.as(port, "dev-alice").get("/api/v1/audit?service=" + service).statusCode()).isEqualTo(403);
    }

    @Test
    void aUserWhoIsBothDeveloperAndQaCannotApproveWhatTheyRequested() throws Exception {
        String[] ready = inTest("dual");
        JsonNode prod = releases.requested("dev-qa-dora", ready[0], "prod", ready[1]);
        var refused = releases.decide("dev-qa-dora", prod.path("id").asString(), "approve", "mine");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(ApiClient.json(refused).path("detail").asString()).contains("another QA engineer");
        assertThat(releases.promotion(prod.path("id").asString()).path("state").asString()).isEqualTo("awaiting-approval");
    }

    @Test
    void aCriticalFindingBlocksTheRequestAndAWaiverUnblocksItWithoutANewRequest() throws Exception {
        String[] ready = inTest("waived");
        String service = ready[0];
        String digest = ready[1];
        // a newer scan finds Spring4Shell (critical)
        releases.scan(service, digest, "spring4shell-jre11.json.golden");
        JsonNode blocked = releases.requested("dev-alice", service, "prod", digest);
        assertThat(blocked.path("state").asString()).isEqualTo("blocked");
        assertThat(blocked.path("reasons").findValuesAsString("rule")).contains("max-critical");
        assertThat(blocked.path("pullRequest").isMissingNode() || blocked.path("pullRequest").isNull()).isTrue();

        var waiver = ApiClient.as(port, "sec-sam").post("/api/v1/waivers", "{\"vulnerabilityId\": \"CVE-2022-22965\","
                + " \"team\": \"payments\", \"service\": \"" + service + "\", \"digest\": \"" + digest + "\","
                + " \"until\": \"" + Instant.now().plus(java.time.Duration.ofDays(7)) + "\","
                + " \"reason\": \"not exploitable: no WAR deployment on Tomcat\"}");
        assertThat(waiver.statusCode()).as(waiver.body()).isEqualTo(201);
        JsonNode unblocked = releases.awaitState(blocked.path("id").asString(), "awaiting-approval");
        assertThat(unblocked.path("reasons").size()).isZero();
        assertThat(unblocked.path("gate").path("waived").asInt()).isEqualTo(1);
        assertThat(Releases.states(unblocked)).containsExactly("requested", "blocked", "awaiting-approval");
    }

    @Test
    void aNewerPromotionSupersedesAnUndecidedOneAndClosesItsPullRequest() throws Exception {
        String[] ready = inTest("superseded");
        String service = ready[0];
        JsonNode first = releases.requested("dev-alice", service, "prod", ready[1]);
        String firstId = first.path("id").asString();
        releases.awaitPromotion(firstId, p -> p.at("/pullRequest/state").asString().equals("pull-request-open"), "open");

        String newer = Releases.newDigest();
        releases.push(service, newer, "1.1.0", Instant.now());
        releases.scan(service, newer, "sl-micro-rancher5.4.json.golden");
        JsonNode second = releases.requested("dev-bob", service, "prod", newer);
        assertThat(second.path("state").asString()).isEqualTo("blocked"); // test does not run 1.1.0 yet

        JsonNode superseded = releases.awaitPromotion(firstId, p -> p.at("/pullRequest/state").asString().equals("failed"),
                "with its pull request closed");
        assertThat(superseded.path("state").asString()).isEqualTo("superseded");
        assertThat(superseded.path("supersededBy").asString()).isEqualTo(second.path("id").asString());
        var approve = releases.decide("qa-quinn", firstId, "approve", null);
        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(409);
    }

    @Test
    void aRollbackOfDevStopsDevFollowingUntilSomeonePromotesForward() throws Exception {
        String service = releases.createService("rolled");
        String first = Releases.newDigest();
        releases.push(service, first, "1.0.0", Instant.now().minusSeconds(60));
        JsonNode dev = releases.awaitEnvironment(service, "dev", "healthy");
        assertThat(dev.path("running").has(first)).isTrue();
        String second = Releases.newDigest();
        releases.push(service, second, "1.1.0", Instant.now().minusSeconds(30));
        releases.awaitRunning(service, "dev", second);

        JsonNode rollback = releases.requested("dev-alice", service, "dev", first);
        assertThat(rollback.path("rollback").asBoolean()).isTrue();
        releases.awaitState(rollback.path("id").asString(), "deployed");

        // a newer push does not undo the rollback
        String third = Releases.newDigest();
        releases.push(service, third, "1.2.0", Instant.now());
        Thread.sleep(1500);
        assertThat(releases.onMain("services/payments/" + service + "/dev/values.yaml")).contains(first)
                .doesNotContain(third);

        // promoting forward again resumes following
        JsonNode forward = releases.requested("dev-alice", service, "dev", third);
        assertThat(forward.path("rollback").asBoolean()).isFalse();
        releases.awaitState(forward.path("id").asString(), "deployed");
        String fourth = Releases.newDigest();
        releases.push(service, fourth, "1.3.0", Instant.now().plusSeconds(1));
        releases.awaitRunning(service, "dev", fourth);
    }

    @Test
    void aProdRollbackToAnImageThatGainedACriticalFindingIsBlockedUntilWaivedAndThenApproved() throws Exception {
        String[] ready = inTest("rollback");
        String service = ready[0];
        String first = ready[1];
        toProd(service, first);

        String second = Releases.newDigest();
        releases.push(service, second, "1.1.0", Instant.now());
        releases.scan(service, second, "sl-micro-rancher5.4.json.golden");
        releases.awaitRunning(service, "dev", second);
        releases.awaitState(releases.requested("dev-alice", service, "test", second).path("id").asString(), "deployed");
        toProd(service, second);

        // the first image has since gained a critical finding: rolling back to it is blocked
        releases.scan(service, first, "spring4shell-jre11.json.golden");
        JsonNode rollback = releases.requested("dev-bob", service, "prod", first);
        String id = rollback.path("id").asString();
        assertThat(rollback.path("rollback").asBoolean()).isTrue();
        assertThat(rollback.path("state").asString()).isEqualTo("blocked");
        assertThat(rollback.path("reasons").findValuesAsString("rule")).containsExactly("max-critical");

        var waiver = ApiClient.as(port, "sec-sam").post("/api/v1/waivers", "{\"vulnerabilityId\": \"CVE-2022-22965\","
                + " \"team\": \"payments\", \"service\": \"" + service + "\", \"digest\": \"" + first + "\","
                + " \"until\": \"" + Instant.now().plus(java.time.Duration.ofDays(3)) + "\","
                + " \"reason\": \"rollback while 1.1.0 is fixed; the vulnerable endpoint is disabled\"}");
        assertThat(waiver.statusCode()).as(waiver.body()).isEqualTo(201);
        releases.awaitState(id, "awaiting-approval");
        assertThat(releases.decide("qa-quinn", id, "approve", "rollback approved").statusCode()).isEqualTo(200);
        releases.awaitState(id, "deployed");
        releases.awaitRunning(service, "prod", first);
        assertThat(releases.onMain("services/payments/" + service + "/prod/values.yaml")).contains(first)
                .doesNotContain(second);
    }

    private void toProd(String service, String digest) throws Exception {
        String id = releases.requested("dev-alice", service, "prod", digest).path("id").asString();
        releases.awaitPromotion(id, p -> p.at("/pullRequest/state").asString().equals("pull-request-open"), "open");
        assertThat(releases.decide("qa-quinn", id, "approve", null).statusCode()).isEqualTo(200);
        releases.awaitState(id, "deployed");
    }

    @Test
    void badRequestsAreClearProblemsAndChangeNothing() throws Exception {
        String service = releases.createService("refused");
        String digest = Releases.newDigest();
        releases.push(service, digest, "1.0.0", Instant.now());
        String other = releases.createService("other");
        String othersDigest = Releases.newDigest();
        releases.push(other, othersDigest, "2.0.0", Instant.now());

        assertProblem(releases.request("dev-alice", service, "prod", Releases.newDigest()), 404);
        assertProblem(releases.request("dev-alice", service, "prod", othersDigest), 422);
        assertProblem(releases.request("dev-alice", service, "staging", digest), 422);
        assertProblem(releases.request("dev-alice", service, "prod", "sha256:nothex"), 422);
        assertProblem(releases.request("dev-carol", service, "test", digest), 403);
        assertProblem(releases.request("qa-quinn", service, "test", digest), 403);
        assertProblem(releases.decide("qa-quinn", java.util.UUID.randomUUID().toString(), "approve", null), 404);
        var listed = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/promotions?service=" + service));
        assertThat(listed.size()).isZero();

        // a rejection needs a comment; a rejected one cannot be approved
        JsonNode prod = releases.requested("dev-alice", service, "prod", digest);
        String id = prod.path("id").asString();
        assertProblem(releases.decide("qa-quinn", id, "reject", " "), 422);
        var rejected = releases.decide("qa-quinn", id, "reject", "No release notes");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        assertThat(ApiClient.json(rejected).path("state").asString()).isEqualTo("rejected");
        assertProblem(releases.decide("qa-rita", id, "approve", null), 409);
        assertProblem(releases.decide("dev-alice", id, "cancel", null), 409);

        JsonNode cancelled = releases.requested("dev-alice", service, "prod", digest);
        var cancel = releases.decide("dev-bob", cancelled.path("id").asString(), "cancel", "wrong image");
        assertThat(ApiClient.json(cancel).path("state").asString()).isEqualTo("cancelled");
        assertProblem(releases.decide("qa-quinn", cancelled.path("id").asString(), "approve", null), 409);
        assertProblem(releases.decide("dev-carol", cancelled.path("id").asString(), "cancel", null), 403);
    }

    private static void assertProblem(java.net.http.HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).doesNotContain("Exception");
    }
}
