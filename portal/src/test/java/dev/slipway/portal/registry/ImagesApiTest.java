package dev.slipway.portal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A service's images over the API: newest first with what every source found (counted once across
 * sources), each source's newest scan and its age, where Git pins each; an image's findings filtered
 * and paged, waived ones marked.
 */
@PortalTest
class ImagesApiTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Scans scans;
    @Autowired
    Images images;

    @Test
    void theImagesOfAServiceWithTheirScansAndWhereTheyRun() throws Exception {
        String name = TestCatalog.uniqueName("listed");
        var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"worker\"}");
        assertThat(created.statusCode()).isEqualTo(202);
        String old = "sha256:" + "a1".repeat(32);
        String current = "sha256:" + "b2".repeat(32);
        push(name, old, "1.0.0", "2026-12-01T08:00:00Z");
        push(name, current, "1.1.0", "2026-12-01T09:00:00Z"); // dev follows: pinned there

        String reference = AcrEvents.REGISTRY + "/payments/" + name + "@" + current;
        ObjectNode report = TrivyUploadTest.report("fluentd-gems.json.golden"); // CVE-2019-18224 critical, CVE-2020-8165 high
        report.put("CreatedAt", "2026-12-01T10:00:00Z");
        assertThat(ApiClient.as(port, "ci-robot").post("/api/v1/scans?image=" + reference, report.toString()).statusCode())
                .isEqualTo(201);
        // Defender finds the same critical, and a medium of its own
        var image = ImageReference.parse(reference).orElseThrow();
        scans.replace(images.idOf(image).orElseThrow(), image, Scans.DEFENDER, Instant.parse("2026-12-01T11:00:00Z"),
                "defender-poller", null, sink -> {
                    sink.accept(new Finding("CVE-2019-18224", "libidn2-0", "2.0.5-1", "2.0.5-1+deb10u1",
                            Finding.Severity.CRITICAL, "unhealthy", "libidn2", null, "OS"));
                    sink.accept(new Finding("CVE-2023-0001", "bash", "5.0", null, Finding.Severity.MEDIUM, "unhealthy",
                            "bash", null, "OS"));
                });

        var response = ApiClient.as(port, "qa-quinn").get("/api/v1/services/payments/" + name + "/images");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Total-Count")).hasValue("2");
        JsonNode list = ApiClient.json(response);
        assertThat(list.findValuesAsString("digest")).containsExactly(current, old);
        JsonNode newest = list.get(0);
        assertThat(newest.path("tags").toString()).isEqualTo("[\"1.1.0\"]");
        assertThat(newest.path("environments").toString()).isEqualTo("[\"dev\"]");
        // over both sources: the shared critical once
        assertThat(newest.at("/severities/critical/total").asInt()).isEqualTo(1);
        assertThat(newest.at("/severities/high/total").asInt()).isEqualTo(1);
        assertThat(newest.at("/severities/medium/total").asInt()).isEqualTo(1);
        assertThat(newest.at("/severities/medium/fixable").asInt()).isZero();
        assertThat(newest.path("scans").findValuesAsString("source")).containsExactly("defender", "trivy");
        assertThat(newest.path("scans").get(1).path("ageSeconds").asLong()).isPositive();
        assertThat(list.get(1).path("severities").isObject()).as("never scanned: no counts").isFalse();
        assertThat(list.get(1).path("environments")).isEmpty();

        // one image's findings: each source's apart, worst first, filtered and paged
        String detail = "/api/v1/services/payments/" + name + "/images/" + current;
        JsonNode all = ApiClient.json(ApiClient.as(port, "dev-carol").get(detail));
        assertThat(all.at("/findings/total").asInt()).isEqualTo(4);
        assertThat(all.at("/findings/items").findValuesAsString("vulnerabilityId"))
                .containsExactly("CVE-2019-18224", "CVE-2019-18224", "CVE-2020-8165", "CVE-2023-0001");
        assertThat(all.at("/findings/items").findValuesAsString("source")).containsExactly("defender", "trivy", "trivy", "defender");
        JsonNode critical = ApiClient.json(ApiClient.as(port, "dev-carol").get(detail + "?severity=critical&severity=high&fixable=true&limit=1&offset=1"));
        assertThat(critical.at("/findings/total").asInt()).isEqualTo(3);
        assertThat(critical.at("/findings/items")).hasSize(1);
        JsonNode unfixed = ApiClient.json(ApiClient.as(port, "dev-carol").get(detail + "?fixable=false"));
        assertThat(unfixed.at("/findings/items").findValuesAsString("vulnerabilityId")).containsExactly("CVE-2023-0001");

        // a waiver marks the findings it covers, and is listed with the image
        var waiver = ApiClient.as(port, "sec-sam").post("/api/v1/waivers", """
                {"vulnerabilityId": "CVE-2019-18224", "team": "payments", "service": "%s", "until": "%s",
                 "reason": "libidn2 is never given user input"}""".formatted(name,
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(10)));
        assertThat(waiver.statusCode()).isEqualTo(201);
        String waiverId = ApiClient.json(waiver).path("id").asString();
        JsonNode waived = ApiClient.json(ApiClient.as(port, "dev-carol").get(detail + "?severity=critical"));
        assertThat(waived.at("/findings/items").findValuesAsString("waiver")).containsExactly(waiverId, waiverId);
        assertThat(waived.path("waivers").findValuesAsString("id")).containsExactly(waiverId);
        assertThat(waived.at("/image/environments").toString()).isEqualTo("[\"dev\"]");

        // the list across services: this service's images among them, the unowned ones for platform admins only
        JsonNode everyone = ApiClient.json(ApiClient.as(port, "dev-carol").get("/api/v1/images?limit=500"));
        assertThat(everyone.findValuesAsString("service")).contains(name);
        assertThat(ApiClient.as(port, "dev-carol").get("/api/v1/images?unowned=true").statusCode()).isEqualTo(403);
        assertThat(ApiClient.as(port, "admin-ada").get("/api/v1/images?unowned=true").statusCode()).isEqualTo(200);

        // bad questions
        assertThat(ApiClient.as(port, "dev-carol").get(detail.replace(current, "sha256:" + "0".repeat(64))).statusCode())
                .isEqualTo(404);
        assertThat(ApiClient.as(port, "dev-carol").get(detail + "?severity=urgent").statusCode()).isEqualTo(422);
        assertThat(ApiClient.as(port, "dev-carol").get(detail + "?limit=0").statusCode()).isEqualTo(422);
        assertThat(ApiClient.as(port, "dev-carol").get("/api/v1/services/payments/" + name + "/images?limit=501").statusCode())
                .isEqualTo(422);
        for (String path : List.of(detail, "/api/v1/services/payments/" + name + "/images", "/api/v1/waivers")) {
            assertThat(ApiClient.as(port, "ci-robot").get(path).statusCode()).as(path).isEqualTo(403);
            assertThat(ApiClient.anonymous(port).get(path).statusCode()).as(path).isEqualTo(401);
        }
    }

    private void push(String service, String digest, String tag, String at) throws Exception {
        assertThat(AcrEvents.post(port, AcrEvents.event("push.json", "payments/" + service, digest, tag, at).toString(),
                WebhookSecret.LOCAL).statusCode()).isEqualTo(202);
    }
}
