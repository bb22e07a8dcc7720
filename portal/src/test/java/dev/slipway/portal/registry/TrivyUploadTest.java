package dev.slipway.portal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * CI uploads Trivy's JSON reports (fixtures/trivy: Trivy's own golden files): every fixture stored
 * with its counts, a newer scan replacing the older, bad reports refused whole with the reason, and
 * who may upload for which image.
 */
@PortalTest
class TrivyUploadTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    String service;
    String image;

    @BeforeEach
    void aServiceWithAnImage() throws Exception {
        service = TestCatalog.uniqueName("scanned");
        TestCatalog.insertService(jdbc, "payments", service, "");
        String digest = "sha256:" + Long.toHexString(System.nanoTime()).repeat(8).substring(0, 64);
        var pushed = AcrEvents.post(port, AcrEvents.event("push.json", "payments/" + service, digest, "1.0.0",
                "2026-12-01T10:00:00Z").toString(), WebhookSecret.LOCAL);
        assertThat(pushed.statusCode()).isEqualTo(202);
        image = AcrEvents.REGISTRY + "/payments/" + service + "@" + digest;
    }

    @Test
    void everyFixtureIsStoredWithItsCountsAndTheNewestScanReplacesTheOlder() throws Exception {
        record Expected(String fixture, int critical, int high, int medium, int fixable) {
        }
        // counts as PROVENANCE.md describes the goldens
        var fixtures = List.of(
                new Expected("alpine-39.json.golden", 2, 0, 4, 6),
                new Expected("fluentd-gems.json.golden", 1, 1, 0, 2),
                new Expected("spring4shell-jre11.json.golden", 1, 0, 0, 1),
                new Expected("sl-micro-rancher5.4.json.golden", 0, 0, 0, 0),
                new Expected("alpine-39-skip.json.golden", 0, 0, 0, 0));
        int second = 0;
        for (Expected expected : fixtures) {
            // each upload a second newer, so that each replaces the one before
            ObjectNode report = report(expected.fixture());
            report.put("CreatedAt", "2026-12-01T11:00:" + String.format("%02d", second++) + "Z");
            var response = upload("ci-robot", report.toString(), image);
            assertThat(response.statusCode()).as(expected.fixture() + ": " + response.body()).isEqualTo(201);
            JsonNode stored = ApiClient.json(response);
            assertThat(stored.path("image").asString()).isEqualTo(image);
            assertThat(stored.path("source").asString()).isEqualTo("trivy");
            assertThat(stored.at("/severities/critical/total").asInt()).as(expected.fixture()).isEqualTo(expected.critical());
            assertThat(stored.at("/severities/high/total").asInt()).as(expected.fixture()).isEqualTo(expected.high());
            assertThat(stored.at("/severities/medium/total").asInt()).as(expected.fixture()).isEqualTo(expected.medium());
            int fixable = 0;
            for (JsonNode counts : stored.path("severities")) {
                fixable += counts.path("fixable").asInt();
            }
            assertThat(fixable).isEqualTo(expected.fixable());
            // one Trivy scan per image, holding exactly this report's findings
            assertThat(findingsOfImage()).isEqualTo(expected.critical() + expected.high() + expected.medium());
            assertThat(jdbc.sql("select count(*) from scans s join images i on i.id = s.image_id where i.repository = ?")
                    .param("payments/" + service).query(Integer.class).single()).isEqualTo(1);
        }
        // what a finding keeps of the report: OS and language packages alike
        ObjectNode spring = report("spring4shell-jre11.json.golden");
        spring.put("CreatedAt", "2026-12-01T12:00:00Z");
        assertThat(upload("dev-alice", spring.toString(), image).statusCode()).isEqualTo(201);
        var finding = jdbc.sql("""
                        select f.vulnerability_id, f.package_name, f.installed_version, f.fixed_version, f.severity, f.status,
                               f.primary_url, f.target
                        from findings f join scans s on s.id = f.scan_id join images i on i.id = s.image_id
                        where i.repository = ?""").param("payments/" + service)
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8))).single();
        assertThat(finding).containsExactly("CVE-2022-22965", "org.springframework:spring-beans", "5.3.15", "5.3.18",
                "critical", "fixed", "https://avd.aquasec.com/nvd/cve-2022-22965", "Java");

        // an older report than the one stored changes nothing
        ObjectNode older = report("alpine-39.json.golden");
        older.put("CreatedAt", "2026-12-01T09:00:00Z");
        var refused = upload("ci-robot", older.toString(), image);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(findingsOfImage()).isEqualTo(1);
    }

    @Test
    void theImageComesFromTheReportsRepoDigestsWhenItNamesOne() throws Exception {
        ObjectNode report = report("fluentd-gems.json.golden");
        ((ObjectNode) report.get("Metadata")).putArray("RepoDigests").add("ghcr.io/elsewhere/fluentd@sha256:" + "e".repeat(64))
                .add(image);
        var response = upload("ci-robot", report.toString(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(ApiClient.json(response).path("image").asString()).isEqualTo(image);
    }

    @Test
    void aBadReportIsRefusedWholeAndSaysWhy() throws Exception {
        int scans = scans();
        ObjectNode v1 = report("alpine-39.json.golden");
        v1.put("SchemaVersion", 1);
        assertProblem(upload("ci-robot", v1.toString(), image), 422, "SchemaVersion");
        String whole = report("alpine-39.json.golden").toString();
        assertProblem(upload("ci-robot", whole.substring(0, whole.length() - 200), image), 400, null);
        assertProblem(upload("ci-robot", "[]", image), 400, null);
        assertProblem(upload("ci-robot", whole, null), 422, "Metadata.RepoDigests");
        assertProblem(upload("ci-robot", whole, AcrEvents.REGISTRY + "/payments/" + service + "@sha256:" + "0".repeat(64)),
                422, "image");
        assertProblem(upload("ci-robot", whole, "not-a-reference"), 422, "image");
        assertThat(scans()).isEqualTo(scans);
    }

    @Test
    void aReportPastTheLimitIsRefusedBeforeItIsRead() throws Exception {
        long limit = 32L * 1024 * 1024;
        // the portal answers and closes while the client still sends, so the answer is read from the socket
        // announced by its length: refused before a byte is read
        assertThat(uploadStatus(limit + 1, false)).isEqualTo("HTTP/1.1 413");
        // sent without a length: cut off once past it
        assertThat(uploadStatus(limit + 1, true)).isEqualTo("HTTP/1.1 413");
        // at the limit exactly it is read (and found to be no report)
        assertThat(uploadStatus(1024, true)).isEqualTo("HTTP/1.1 400");
    }

    private String uploadStatus(long length, boolean chunked) throws Exception {
        try (var socket = new java.net.Socket("localhost", port)) {
            var out = socket.getOutputStream();
            String credentials = java.util.Base64.getEncoder().encodeToString("ci-robot:slipway-local".getBytes());
            out.write(("POST /api/v1/scans?image=" + java.net.URLEncoder.encode(image, java.nio.charset.StandardCharsets.UTF_8)
                    + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + credentials
                    + "\r\nContent-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + length) + "\r\n\r\n").getBytes());
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (long sent = 0; sent < length; sent += chunk.length) {
                    int n = (int) Math.min(chunk.length, length - sent);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes());
                    }
                    out.write(chunk, 0, n);
                    if (chunked) {
                        out.write("\r\n".getBytes());
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes());
                }
                out.flush();
            } catch (java.io.IOException closedByThePortal) {
                // it stopped reading: the answer is waiting
            }
            String status = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            return status;
        }
    }

    @Test
    void whoMayUploadForWhichImage() throws Exception {
        String report = report("alpine-39.json.golden").toString();
        assertThat(ApiClient.anonymous(port).post("/api/v1/scans?image=" + image, report).statusCode()).isEqualTo(401);
        assertThat(upload("nobody", report, image).statusCode()).isEqualTo(403);
        assertThat(upload("qa-quinn", report, image).statusCode()).isEqualTo(403);
        var otherTeam = upload("dev-carol", report, image);
        assertThat(otherTeam.statusCode()).isEqualTo(403);
        assertThat(ApiClient.json(otherTeam).path("detail").asString()).contains("team payments");
        for (String user : List.of("dev-alice", "sec-sam", "admin-ada", "ci-robot")) {
            ObjectNode fresh = report("alpine-39.json.golden");
            fresh.put("CreatedAt", java.time.Instant.now().toString());
            assertThat(upload(user, fresh.toString(), image).statusCode()).as(user).isEqualTo(201);
        }
        // the scanner role uploads, and reads nothing
        assertThat(ApiClient.as(port, "ci-robot").get("/api/v1/services").statusCode()).isEqualTo(403);
        assertThat(ApiClient.as(port, "ci-robot").get("/api/v1/services/payments/" + service + "/images").statusCode())
                .isEqualTo(403);
    }

    private HttpResponse<String> upload(String user, String report, String image) throws Exception {
        String query = image == null ? "" : "?image=" + java.net.URLEncoder.encode(image, java.nio.charset.StandardCharsets.UTF_8);
        return ApiClient.as(port, user).post("/api/v1/scans" + query, report);
    }

    private int findingsOfImage() {
        return jdbc.sql("select count(*) from findings f join scans s on s.id = f.scan_id join images i on i.id = s.image_id"
                + " where i.repository = ?").param("payments/" + service).query(Integer.class).single();
    }

    private int scans() {
        return jdbc.sql("select count(*) from scans").query(Integer.class).single();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        if (field != null) {
            assertThat(ApiClient.json(response).path("errors").findValuesAsString("field")).contains(field);
        }
    }

    static ObjectNode report(String fixture) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(Path.of(System.getProperty("slipway.fixtures"), "trivy", fixture)));
    }

}
