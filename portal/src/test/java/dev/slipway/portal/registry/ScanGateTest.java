package dev.slipway.portal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.gitops.testing.MovableClock;
import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.environment.Environments;
import dev.slipway.templates.PlatformSettings;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The scan gate on a clock the test moves: the default policies of prod, test and dev over a Trivy
 * report's findings (fixtures/trivy/fluentd-gems: one critical and one high, both with a fix), waivers
 * that cover a finding until they expire or are revoked, and the scan's age.
 */
@PortalTest
class ScanGateTest {

    static final Instant SCANNED = Instant.parse("2026-12-01T10:00:00Z");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;
    @Autowired
    Environments environments;
    @Autowired
    Waivers waivers;
    @Autowired
    PlatformSettings platform;
    @Autowired
    org.springframework.beans.factory.ObjectProvider<org.springframework.security.core.context.SecurityContextHolderStrategy> strategies;

    final MovableClock clock = new MovableClock(SCANNED.plus(Duration.ofHours(1)));
    String service;
    UUID serviceId;
    String digest;
    ScanGate gate;

    @BeforeEach
    void aScannedImage() throws Exception {
        service = TestCatalog.uniqueName("gated");
        serviceId = TestCatalog.insertService(jdbc, "payments", service, "");
        digest = "sha256:" + UUID.randomUUID().toString().replace("-", "").repeat(2);
        assertThat(AcrEvents.post(port, AcrEvents.event("push.json", "payments/" + service, digest, "1.0.0",
                "2026-12-01T09:00:00Z").toString(), WebhookSecret.LOCAL).statusCode()).isEqualTo(202);
        ObjectNode report = TrivyUploadTest.report("fluentd-gems.json.golden");
        report.put("CreatedAt", SCANNED.toString());
        var uploaded = ApiClient.as(port, "ci-robot").post("/api/v1/scans?image=" + AcrEvents.REGISTRY + "/payments/"
                + service + "@" + digest, report.toString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        gate = new ScanGate(jdbc, catalog, environments, new ScansProperties(null, null, null, null), waivers, platform, clock);
        // the gate reads as whoever asks: any reader
        // (on the strategy the portal reads, as CurrentUser does)
        strategy().getContext().setAuthentication(new TestingAuthenticationToken("qa-quinn", "", "ROLE_QA"));
    }

    @org.junit.jupiter.api.AfterEach
    void signOut() {
        strategy().clearContext();
    }

    private org.springframework.security.core.context.SecurityContextHolderStrategy strategy() {
        return strategies.getIfAvailable(SecurityContextHolder::getContextHolderStrategy);
    }

    @Test
    void theDefaultPoliciesOfProdTestAndDev() {
        ScanGate.Verdict prod = gate.evaluate("payments", service, digest, "prod");
        assertThat(prod.passes()).isFalse();
        assertThat(prod.reasons()).extracting(ScanGate.Reason::rule).containsExactly("max-critical", "max-high-fixable");
        assertThat(prod.reasons().get(0).findings()).containsExactly("CVE-2019-18224 (critical, libidn2-0, fix available)");
        assertThat(prod.reasons().get(1).findings()).containsExactly("CVE-2020-8165 (high, activesupport, fix available)");

        ScanGate.Verdict test = gate.evaluate("payments", service, digest, "test");
        assertThat(test.reasons()).extracting(ScanGate.Reason::rule).containsExactly("max-critical-fixable");
        assertThat(gate.evaluate("payments", service, digest, "dev").passes()).isTrue();

        // a week later the scan is too old for prod
        clock.advance(Duration.ofDays(7));
        assertThat(gate.evaluate("payments", service, digest, "prod").reasons()).extracting(ScanGate.Reason::rule)
                .contains("scan-age");
    }

    @Test
    void waiversCoverFindingsUntilTheyExpireOrAreRevoked() {
        UUID forImage = waive("CVE-2019-18224", digest, SCANNED.plus(Duration.ofDays(10)));
        UUID forService = waive("CVE-2020-8165", null, SCANNED.plus(Duration.ofDays(3)));
        // another image's waiver covers nothing here
        waive("CVE-2020-8165", "sha256:" + "f".repeat(64), SCANNED.plus(Duration.ofDays(10)));

        ScanGate.Verdict covered = gate.evaluate("payments", service, digest, "prod");
        assertThat(covered.passes()).as(covered.reasons().toString()).isTrue();
        assertThat(covered.waived()).extracting(ScanGate.Waived::waiver).containsExactlyInAnyOrder(forImage, forService);

        clock.advance(Duration.ofDays(4)); // the service-wide waiver has run out
        ScanGate.Verdict lapsed = gate.evaluate("payments", service, digest, "prod");
        assertThat(lapsed.reasons()).extracting(ScanGate.Reason::rule).containsExactly("max-high-fixable", "waiver-lapsed");
        assertThat(lapsed.reasons().get(1).message()).contains(forService.toString(), "expired at");
        assertThat(gate.evaluate("payments", service, digest, "test").passes()).isTrue(); // test looks at criticals only

        jdbc.sql("update waivers set revoked_by = 'sec-sam', revoked_at = ? where id = ?")
                .params(Timestamp.from(clock.instant()), forImage).update();
        ScanGate.Verdict revoked = gate.evaluate("payments", service, digest, "test");
        assertThat(revoked.passes()).isFalse();
        assertThat(revoked.reasons().get(1).message()).contains("revoked by sec-sam");
    }

    @Test
    void anImageWithoutAScanFailsProdOnlyAndADeletedImageFailsEverywhere() throws Exception {
        String unscanned = "sha256:" + UUID.randomUUID().toString().replace("-", "").repeat(2);
        AcrEvents.post(port, AcrEvents.event("push.json", "payments/" + service, unscanned, "1.0.1",
                "2026-12-01T09:30:00Z").toString(), WebhookSecret.LOCAL);
        assertThat(gate.evaluate("payments", service, unscanned, "prod").reasons()).extracting(ScanGate.Reason::rule)
                .containsExactly("scan-required");
        assertThat(gate.evaluate("payments", service, unscanned, "test").passes()).isTrue();

        AcrEvents.post(port, AcrEvents.event("delete.json", "payments/" + service, unscanned, null,
                "2026-12-01T11:00:00Z").toString(), WebhookSecret.LOCAL);
        assertThat(gate.evaluate("payments", service, unscanned, "dev").reasons()).extracting(ScanGate.Reason::rule)
                .containsExactly("image-deleted");
    }

    @Test
    void theGateOverTheApiForCiAndItsAnswersToBadQuestions() throws Exception {
        String path = "/api/v1/services/payments/" + service + "/images/" + digest + "/gate";
        JsonNode verdict = ApiClient.json(ApiClient.as(port, "dev-alice").get(path + "?environment=prod"));
        assertThat(verdict.path("passes").asBoolean()).isFalse();
        assertThat(verdict.path("reasons").findValuesAsString("rule")).containsExactly("max-critical", "max-high-fixable");
        assertThat(ApiClient.as(port, "dev-alice").get(path + "?environment=staging").statusCode()).isEqualTo(422);
        assertThat(ApiClient.as(port, "dev-alice").get("/api/v1/services/payments/" + service + "/images/sha256:"
                + "0".repeat(64) + "/gate?environment=prod").statusCode()).isEqualTo(404);
        assertThat(ApiClient.anonymous(port).get(path + "?environment=prod").statusCode()).isEqualTo(401);
        assertThat(ApiClient.as(port, "nobody").get(path + "?environment=prod").statusCode()).isEqualTo(403);
        assertThat(ApiClient.as(port, "ci-robot").get(path + "?environment=prod").statusCode()).isEqualTo(403);
    }

    @Test
    void onlySecurityWaivesAndAWaiverSaysWhatIsWrongWithIt() throws Exception {
        String waiver = """
                {"vulnerabilityId": "CVE-2019-18224", "team": "payments", "service": "%s", "digest": "%s",
                 "until": "%s", "reason": "Not reachable: libidn2 is never called with user input"}""";
        String until = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30).toString();
        for (String user : List.of("dev-alice", "qa-quinn", "admin-ada", "ci-robot")) {
            assertThat(ApiClient.as(port, user).post("/api/v1/waivers", waiver.formatted(service, digest, until))
                    .statusCode()).as(user).isEqualTo(403);
        }
        var granted = ApiClient.as(port, "sec-sam").post("/api/v1/waivers", waiver.formatted(service, digest, until));
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        String id = ApiClient.json(granted).path("id").asString();
        // it counts at once, over the API too
        JsonNode verdict = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/services/payments/" + service
                + "/images/" + digest + "/gate?environment=test"));
        assertThat(verdict.path("passes").asBoolean()).isTrue();
        assertThat(ApiClient.json(ApiClient.as(port, "qa-quinn").get("/api/v1/waivers?active=true")).findValuesAsString("id"))
                .contains(id);

        assertThat(ApiClient.as(port, "dev-alice").delete("/api/v1/waivers/" + id).statusCode()).isEqualTo(403);
        assertThat(ApiClient.as(port, "sec-sam").delete("/api/v1/waivers/" + id).statusCode()).isEqualTo(200);
        assertThat(ApiClient.as(port, "sec-sam").delete("/api/v1/waivers/" + id).statusCode()).isEqualTo(409);
        assertThat(ApiClient.as(port, "sec-sam").delete("/api/v1/waivers/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(ApiClient.as(port, "qa-quinn").get("/api/v1/waivers?active=false")).findValuesAsString("id"))
                .contains(id);
        var audit = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit?limit=200")).findValuesAsString("action");
        assertThat(audit).contains("waiver.granted", "waiver.revoked");

        String tooFar = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(91).toString();
        assertFields(waiver.formatted(service, digest, tooFar), "until");
        assertFields(waiver.formatted(service, digest, "2020-01-01"), "until");
        assertFields(waiver.formatted(service, digest, "soon"), "until");
        assertFields(waiver.formatted(service, "sha256:" + "0".repeat(64), until), "digest");
        assertFields(waiver.formatted("no-such-service", digest, until), "service");
        assertFields(waiver.formatted(service, digest, until).replace("Not reachable: libidn2 is never called with user input", " "),
                "reason");
        assertFields(waiver.formatted(service, digest, until).replace("CVE-2019-18224", "<script>"), "vulnerabilityId");
    }

    private void assertFields(String body, String field) throws Exception {
        int before = jdbc.sql("select count(*) from waivers").query(Integer.class).single();
        var refused = ApiClient.as(port, "sec-sam").post("/api/v1/waivers", body);
        assertThat(refused.statusCode()).as(body + ": " + refused.body()).isEqualTo(422);
        assertThat(ApiClient.json(refused).path("errors").findValuesAsString("field")).contains(field);
        assertThat(jdbc.sql("select count(*) from waivers").query(Integer.class).single()).isEqualTo(before);
    }

    private UUID waive(String vulnerability, String imageDigest, Instant until) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into waivers (id, vulnerability_id, service_id, digest, until, reason, granted_by, granted_at)
                        values (?, ?, ?, ?, ?, 'not reachable', 'sec-sam', ?)""")
                .params(id, vulnerability, serviceId, imageDigest, Timestamp.from(until), Timestamp.from(SCANNED)).update();
        return id;
    }
}
