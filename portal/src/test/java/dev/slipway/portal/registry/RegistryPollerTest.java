package dev.slipway.portal.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.containers.containerregistry.ContainerRegistryClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.slipway.gitops.testing.MovableClock;
import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import dev.slipway.templates.PlatformSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Polling ACR's data plane (WireMock serving Microsoft's published examples, fixtures/acr-rest, in
 * pages linked as ACR links them): the pushes the webhook missed are recorded and followed, a
 * second round reads only what is new, and one replica polls per interval.
 */
@PortalTest
class RegistryPollerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    Images images;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformSettings platform;
    @Autowired
    LockProvider locks;

    WireMockServer acr;
    ContainerRegistryClient client;
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @BeforeEach
    void registry() {
        acr = new WireMockServer(wireMockConfig().dynamicPort());
        acr.start();
        // no credential over plain http (STACK.md): a pipeline of its own, with the catalog paging production has
        client = RegistryConfiguration.unauthenticated(acr.baseUrl());
    }

    @AfterEach
    void stop() {
        acr.stop();
    }

    @Test
    void missedPushesAreRecordedAndFollowedAndTheNextRoundReadsOnlyWhatIsNew() throws Exception {
        String name = TestCatalog.uniqueName("polled");
        var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"worker\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String repository = "payments/" + name;

        // the catalog in two pages: Microsoft's example, then a page naming the service's repository
        ObjectNode catalog = body("GetRepositoryList.json");
        acr.stubFor(get(urlPathEqualTo("/acr/v1/_catalog")).withQueryParam("last", absent()).willReturn(json(catalog)
                .withHeader("Link", "</acr/v1/_catalog?last=testing%2Falpine&n=2>; rel=\"next\"")));
        ObjectNode second = catalog.deepCopy();
        second.putArray("repositories").add(repository);
        acr.stubFor(get(urlPathEqualTo("/acr/v1/_catalog")).withQueryParam("last", equalTo("testing/alpine"))
                .willReturn(json(second)));
        // the example's repositories hold the example's two manifests (one page each)
        acr.stubFor(get(urlPathMatching("/acr/v1/(production|testing)(/|%2F)alpine/_manifests"))
                .willReturn(json(body("GetManifestList.json"))));

        // the service's repository: three manifests newest first, in two pages
        ObjectNode example = body("GetManifestList.json");
        String v1 = "sha256:" + "1a".repeat(32);
        String v2 = "sha256:" + "2b".repeat(32);
        String v3 = "sha256:" + "3c".repeat(32);
        ObjectNode newest = manifests(example, repository, List.of(
                manifest(example, v3, "1.0.2", "2026-12-01T09:30:00.0000000Z"),
                manifest(example, v2, "1.0.1", "2026-12-01T09:00:00.0000000Z")));
        ObjectNode oldest = manifests(example, repository, List.of(manifest(example, v1, "1.0.0", "2026-12-01T08:00:00.0000000Z")));
        stubManifests(name, newest, oldest);

        // the webhook delivered 1.0.1 before; 1.0.0 and 1.0.2 it missed
        AcrEvents.post(port, AcrEvents.event("push.json", repository, v2, "1.0.1", "2026-12-01T09:00:01Z").toString(),
                WebhookSecret.LOCAL);

        RegistryPoller.Round round = poller(Duration.ofMinutes(5)).poll();
        assertThat(round.repositories()).isEqualTo(3);
        assertThat(round.recorded()).as("the pushes the webhook missed, the examples' two twice").isEqualTo(2 + 4);
        JsonNode listed = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/services/" + repository + "/images"));
        assertThat(listed.findValuesAsString("digest")).containsExactly(v3, v2, v1);
        assertThat(listed.get(0).path("size").asLong()).isEqualTo(2401606);
        // dev follows the newest, reported by the poller
        var pinned = jdbc.sql("""
                        select e.digest, e.pinned_by from environment_images e join services s on s.id = e.service_id
                        join teams t on t.id = s.team_id where t.name = 'payments' and s.name = ? and e.environment = 'dev'""")
                .param(name).query((rs, n) -> rs.getString(1) + " " + rs.getString(2)).single();
        assertThat(pinned).isEqualTo(v3 + " acr-poller");

        // the next round: the repository's first page holds nothing newer, so the second page is not asked for
        acr.resetRequests();
        RegistryPoller.Round again = poller(Duration.ofMinutes(5)).poll();
        assertThat(again.recorded()).isZero();
        acr.verify(0, getRequestedFor(urlPathMatching("/acr/v1/payments(/|%2F)" + name + "/_manifests"))
                .withQueryParam("last", equalTo(v2)));
    }

    @Test
    void oneReplicaPollsPerInterval() {
        ObjectNode empty = JSON.createObjectNode();
        empty.putArray("repositories");
        acr.stubFor(get(urlPathEqualTo("/acr/v1/_catalog")).willReturn(json(empty)));
        var interval = Duration.ofMinutes(5);
        RegistryPoller first = poller(interval);
        RegistryPoller second = poller(interval);
        assertThat(first.pollOnce()).isTrue();
        assertThat(second.pollOnce()).as("the other replica, in the same interval").isFalse();
        assertThat(first.pollOnce()).isFalse();
        acr.verify(1, getRequestedFor(urlPathEqualTo("/acr/v1/_catalog")));
    }

    private RegistryPoller poller(Duration interval) {
        var properties = new RegistryProperties(null, null, interval, true);
        return new RegistryPoller(() -> client, images, jdbc, platform, properties, new MockEnvironment(), locks, clock);
    }

    private void stubManifests(String name, ObjectNode firstPage, ObjectNode secondPage) {
        String path = "/acr/v1/payments(/|%2F)" + name + "/_manifests";
        String last = firstPage.path("manifests").get(firstPage.path("manifests").size() - 1).path("digest").asString();
        acr.stubFor(get(urlPathMatching(path)).withQueryParam("last", absent()).willReturn(json(firstPage)
                .withHeader("Link", "</acr/v1/payments/" + name + "/_manifests?last=" + last
                        + "&n=2&orderby=timedesc>; rel=\"next\"")));
        acr.stubFor(get(urlPathMatching(path)).withQueryParam("last", equalTo(last)).willReturn(json(secondPage)));
    }

    /** The example's manifest list, made to hold these manifests of this repository. */
    private static ObjectNode manifests(ObjectNode example, String repository, List<ObjectNode> manifests) {
        ObjectNode page = example.deepCopy();
        page.put("imageName", repository);
        ArrayNode list = page.putArray("manifests");
        manifests.forEach(list::add);
        return page;
    }

    /** The example's first manifest with its digest, tag and times set. */
    private static ObjectNode manifest(ObjectNode example, String digest, String tag, String at) {
        ObjectNode manifest = ((ObjectNode) example.path("manifests").get(0)).deepCopy();
        manifest.put("digest", digest);
        manifest.putArray("tags").add(tag);
        manifest.put("createdTime", at);
        manifest.put("lastUpdateTime", at);
        return manifest;
    }

    private static ObjectNode body(String fixture) throws Exception {
        String root = System.getProperty("slipway.fixtures");
        return (ObjectNode) JSON.readTree(Files.readString(Path.of(root, "acr-rest", fixture))).at("/responses/200/body");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(JsonNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
    }
}
