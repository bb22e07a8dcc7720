package dev.slipway.portal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.resourcegraph.ResourceGraphManager;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.slipway.gitops.testing.MovableClock;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import dev.slipway.templates.PlatformSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.javacrumbs.shedlock.core.LockProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defender for Cloud through Azure Resource Graph (WireMock answering the SDK's queries): the grouped
 * sub-assessments of Microsoft's published examples (fixtures/defender, MDVM's ARG row and REST sample,
 * Qualys's example), and rows of the individual recommendations that replaced them, built from the
 * fields Microsoft describes (no sample of them is published), in pages linked by $skipToken.
 */
@PortalTest
class DefenderPollerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    Scans scans;
    @Autowired
    Images images;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformSettings platform;
    @Autowired
    LockProvider locks;

    WireMockServer arm;

    @BeforeEach
    void resourceGraph() {
        arm = new WireMockServer(wireMockConfig().dynamicPort());
        arm.start();
    }

    @AfterEach
    void stop() {
        arm.stop();
    }

    @Test
    void bothFormatsBecomeEachImagesDefenderScanAndWhatMatchesNoImageIsReported() throws Exception {
        // the published MDVM row's image, recorded as its push would record it (a repository no service has)
        ObjectNode argRow = (ObjectNode) fixture("mdvm-arg-query-result-azure.json").get(0);
        JsonNode artifact = argRow.at("/properties/additionalData/artifactDetails");
        push(artifact.path("registryHost").asString(), artifact.path("repositoryName").asString(),
                artifact.path("digest").asString(), "biweekly.202309.1");
        ObjectNode restRow = (ObjectNode) fixture("mdvm-rest-list-subassessments-sample.json").path("value").get(0);
        JsonNode restArtifact = restRow.at("/properties/additionalData/artifactDetails");
        push(restArtifact.path("registryHost").asString(), restArtifact.path("repositoryName").asString(),
                restArtifact.path("digest").asString(), "biweekly.202305.2");
        ObjectNode qualys = (ObjectNode) fixture("qualys-ListSubscriptionSubAssessments_example.json")
                .at("/responses/200/body/value").get(0);

        // a service's image, as the individual recommendations report it: one row per software update
        String service = TestCatalog.uniqueName("defended");
        TestCatalog.insertService(jdbc, "payments", service, "");
        String digest = "sha256:" + "d".repeat(64);
        push(AcrEvents.REGISTRY, "payments/" + service, digest, "2.0.0");
        ObjectNode openssl = individual("/repositories/payments/" + service + "/images/" + digest, "High",
                "openssl", "3.0.2", "3.0.13", "CVE-2024-0727", "CVE-2023-5678");
        ObjectNode zlib = individual("/repositories/payments/" + service + "/images/" + digest, "Critical",
                "zlib", "1.2.11", "", "CVE-2022-37434");
        ObjectNode nowhere = individual("/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerRegistry/registries/x",
                "Low", "bash", "5.1", "5.2", "CVE-2022-3715");

        stubQuery("assessments/subassessments", null, page(null, argRow, restRow, qualys));
        stubQuery("SoftwareUpdate", null, page("page-2", openssl));
        stubQuery("SoftwareUpdate", "page-2", page(null, zlib, nowhere));

        DefenderPoller.Round round = poller().poll();
        assertThat(round.rows()).isEqualTo(6);
        assertThat(round.images()).isEqualTo(3);
        // Qualys's example names its image by a GUID, and one row by no digest at all: both reported, none guessed
        assertThat(round.namingNoImage()).isEqualTo(2);

        // the individual recommendations: a finding per CVE, the update's fixed version (none for zlib)
        List<String> findings = findingsOf("payments/" + service);
        assertThat(findings).containsExactlyInAnyOrder(
                "CVE-2024-0727 openssl 3.0.2 3.0.13 high", "CVE-2023-5678 openssl 3.0.2 3.0.13 high",
                "CVE-2022-37434 zlib 1.2.11 null critical");
        // the grouped format of Microsoft's examples, read as published
        assertThat(findingsOf(artifact.path("repositoryName").asString())).containsExactly("CVE-2022-42969 py 1.11.0.0 null high");
        assertThat(findingsOf(restArtifact.path("repositoryName").asString())).containsExactly(
                "CVE-2021-39537 libncursesw5 6.2-0ubuntu2 6.2-0ubuntu2.1 high");

        // the next round replaces each image's Defender scan: the openssl update was applied
        arm.resetAll();
        stubQuery("assessments/subassessments", null, page(null));
        stubQuery("SoftwareUpdate", null, page(null, withTime(zlib, "2026-12-02T10:00:00Z")));
        poller().poll();
        assertThat(findingsOf("payments/" + service)).containsExactly("CVE-2022-37434 zlib 1.2.11 null critical");
        assertThat(jdbc.sql("select count(*) from scans s join images i on i.id = s.image_id where i.repository = ?")
                .param("payments/" + service).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void defendersDatesAreReadInEveryFormTheyCome() {
        assertThat(DefenderFinding.instant("2023-09-12T13:36:15.0772799Z")).isEqualTo(Instant.parse("2023-09-12T13:36:15.0772799Z"));
        assertThat(DefenderFinding.instant("2023-08-08T08:14:13.742742Z")).isEqualTo(Instant.parse("2023-08-08T08:14:13.742742Z"));
        assertThat(DefenderFinding.instant("2020-08-04T00:00:00")).isEqualTo(Instant.parse("2020-08-04T00:00:00Z"));
        assertThat(DefenderFinding.instant("2023-05-23T00:00:00+00:00")).isEqualTo(Instant.parse("2023-05-23T00:00:00Z"));
        assertThat(DefenderFinding.instant("yesterday")).isNull();
    }

    private DefenderPoller poller() {
        var profile = new AzureProfile("tenant", "subscription",
                new AzureEnvironment(Map.of("resourceManagerEndpointUrl", arm.baseUrl())));
        // no token over plain http: the manager gets a pipeline of its own
        ResourceGraphManager graph = ResourceGraphManager.authenticate(new HttpPipelineBuilder().build(), profile);
        return new DefenderPoller(() -> graph, scans, images, jdbc, platform, new ScansProperties(null, null, null, null),
                new MockEnvironment(), locks, new MovableClock(Instant.parse("2026-12-01T10:00:00Z")));
    }

    /** A row of the individual recommendations, with the fields Microsoft names for them. */
    private static ObjectNode individual(String resourceId, String severity, String software, String version, String fixed,
                                         String... cves) {
        ObjectNode row = JSON.createObjectNode();
        row.put("id", "/subscriptions/s/providers/Microsoft.Security/assessments/" + java.util.UUID.randomUUID());
        row.put("name", java.util.UUID.randomUUID().toString());
        row.put("type", "microsoft.security/assessments");
        ObjectNode properties = row.putObject("properties");
        properties.put("displayName", "Update " + software + " to " + (fixed.isEmpty() ? "a fixed version" : fixed));
        properties.putObject("status").put("code", "Unhealthy");
        properties.putObject("resourceDetails").put("Source", "Azure").put("Id", resourceId);
        ObjectNode metadata = properties.putObject("metadata");
        metadata.put("severity", severity);
        metadata.putArray("categories").add("SoftwareUpdate");
        ObjectNode data = properties.putObject("additionalData");
        data.put("SoftwareName", software);
        data.put("SoftwareVersion", version);
        data.put("FixedVersion", fixed);
        ArrayNode details = data.putArray("CvesDetails");
        for (String cve : cves) {
            details.addObject().put("CveId", cve).put("Severity", severity);
        }
        properties.put("timeGenerated", "2026-12-01T09:00:00Z");
        return row;
    }

    private static ObjectNode withTime(ObjectNode row, String time) {
        ObjectNode copy = row.deepCopy();
        ((ObjectNode) copy.get("properties")).put("timeGenerated", time);
        return copy;
    }

    private static ObjectNode page(String skipToken, JsonNode... rows) {
        ObjectNode page = JSON.createObjectNode();
        page.put("totalRecords", rows.length);
        page.put("count", rows.length);
        page.put("resultTruncated", "false");
        if (skipToken != null) {
            page.put("$skipToken", skipToken);
        }
        ArrayNode data = page.putArray("data");
        for (JsonNode row : rows) {
            data.add(row);
        }
        return page;
    }

    private void stubQuery(String queryContains, String skipToken, ObjectNode page) {
        var request = post(urlPathEqualTo("/providers/Microsoft.ResourceGraph/resources"))
                .withRequestBody(matchingJsonPath("$.query", containing(queryContains)));
        // the next page's request names its token; the first page's is the fallback
        request = skipToken == null ? request.atPriority(5)
                : request.atPriority(1).withRequestBody(containing("\"" + skipToken + "\""));
        arm.stubFor(request.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(page.toString())));
    }

    private void push(String registry, String repository, String digest, String tag) throws Exception {
        ObjectNode event = AcrEvents.event("push.json", repository, digest, tag, "2026-12-01T08:00:00Z");
        ((ObjectNode) event.get("request")).put("host", registry);
        assertThat(AcrEvents.post(port, event.toString(), WebhookSecret.LOCAL).statusCode()).isEqualTo(202);
    }

    private List<String> findingsOf(String repository) {
        return jdbc.sql("""
                        select f.vulnerability_id || ' ' || f.package_name || ' ' || coalesce(f.installed_version, 'null') || ' '
                               || coalesce(f.fixed_version, 'null') || ' ' || f.severity
                        from findings f join scans s on s.id = f.scan_id join images i on i.id = s.image_id
                        where i.repository = ? and s.source = 'defender'""").param(repository).query(String.class).list();
    }

    private static JsonNode fixture(String name) throws Exception {
        return JSON.readTree(Files.readString(Path.of(System.getProperty("slipway.fixtures"), "defender", name)));
    }
}
