package dev.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponseKt;
import no.nav.security.mock.oauth2.http.OAuth2HttpRouterKt;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Azure mode against a local OIDC issuer (mock-oauth2-server) that answers on Entra ID's paths:
 * the browser signs in through the authorization code flow, API clients send bearer tokens, and
 * Entra groups and app roles become Slipway teams and roles.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "azure"})
class EntraSignInTest {

    private static final String TENANT = "7d0c9b54-1f3e-4a52-9a8e-3c2b1f0e6d41";
    private static final String CLIENT_ID = "5b1e3c2a-8f4d-4e6b-9c7a-2d1f0e9b8a76";
    private static final String APP_ID_URI = "api://" + CLIENT_ID;
    /** mock-oauth2-server derives the issuer id from the path before /authorize and /token. */
    private static final String ISSUER_ID = TENANT + "/oauth2/v2.0";
    private static final String ENTRA_ISSUER = "https://login.microsoftonline.com/" + TENANT + "/v2.0";
    private static final UUID PAYMENTS_GROUP = UUID.fromString("0f8e2d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f");

    private static final OAuth2Config OIDC_CONFIG = new OAuth2Config();
    // Entra ID serves its keys at /{tenant}/discovery/v2.0/keys, a path the mock does not know.
    private static final MockOAuth2Server ENTRA = new MockOAuth2Server(OIDC_CONFIG,
            OAuth2HttpRouterKt.get("/" + TENANT + "/discovery/v2.0/keys", request -> OAuth2HttpResponseKt.json(
                    OIDC_CONFIG.getTokenProvider().publicJwkSet(ISSUER_ID).toJSONObject())));

    static {
        ENTRA.start();
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void entraId(DynamicPropertyRegistry registry) {
        String prefix = "spring.cloud.azure.active-directory.";
        registry.add(prefix + "profile.tenant-id", () -> TENANT);
        registry.add(prefix + "profile.environment.active-directory-endpoint", () -> ENTRA.baseUrl().toString());
        registry.add(prefix + "credential.client-id", () -> CLIENT_ID);
        registry.add(prefix + "credential.client-secret", () -> "test-secret");
        registry.add(prefix + "app-id-uri", () -> APP_ID_URI);
        registry.add("slipway.entra.roles.qa", () -> "Slipway.QA");
        registry.add("slipway.entra.roles.platform-admin", () -> "Slipway.Admin");
        // asked for, and still never in Azure mode
        registry.add("slipway.sandbox.enabled", () -> "true");
    }

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void azureModeNeverStartsTheSandboxClustersWhateverTheSettingsSay() {
        assertThat(context.getBeansOfType(dev.slipway.portal.sandbox.SandboxClusters.class)).isEmpty();
        assertThat(context.getBeanNamesForType(dev.slipway.portal.cluster.ClusterSource.class)).isEmpty();
    }

    @AfterAll
    static void stopIssuer() {
        ENTRA.shutdown();
    }

    @BeforeEach
    void paymentsIsLinkedToItsEntraGroup() {
        jdbc.sql("""
                insert into teams (name, display_name, entra_group_id) values ('payments', 'Payments', ?)
                on conflict (name) do nothing""").param(PAYMENTS_GROUP).update();
    }

    @Test
    void aBrowserSignsInWithEntraIdAndGetsTeamsAndRolesFromItsClaims() {
        ENTRA.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "erin-object-id", "JWT", null, Map.of(
                "iss", ENTRA_ISSUER, "tid", TENANT, "ver", "2.0",
                "name", "Erin Entra", "preferred_username", "erin@contoso.example",
                "roles", List.of("Slipway.QA"), "groups", List.of(PAYMENTS_GROUP.toString())), 3600));
        try (Browser browser = new Browser()) {
            Page page = browser.newPage();
            page.navigate("http://localhost:" + port + "/services");
            page.waitForURL(url -> url.startsWith("http://localhost:" + port + "/services"));
            PlaywrightAssertions.assertThat(page.locator("#signed-in-user")).containsText("Erin Entra");
            PlaywrightAssertions.assertThat(page.locator("#user-roles")).hasText("developer, qa");
            PlaywrightAssertions.assertThat(page.locator("#signed-in-user")).containsText("team payments");
        }
    }

    @Test
    void theApiAcceptsAnEntraBearerTokenForItsAudience() throws Exception {
        String token = token(List.of(APP_ID_URI), Map.of("groups", List.of(PAYMENTS_GROUP.toString())));
        var response = get("/api/v1/services?team=payments", token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("[");
    }

    @Test
    void theApiRefusesTokensForAnotherAudienceOrWithoutAnyRole() throws Exception {
        var otherAudience = get("/api/v1/services", token(List.of("api://someone-else"),
                Map.of("roles", List.of("Slipway.Admin"))));
        assertThat(otherAudience.statusCode()).isEqualTo(401);
        assertThat(otherAudience.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        var noCredentials = get("/api/v1/services", null);
        assertThat(noCredentials.statusCode()).isEqualTo(401);
        assertThat(noCredentials.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer"));

        var noRole = get("/api/v1/services", token(List.of(APP_ID_URI), Map.of("roles", List.of("Some.Other.App"))));
        assertThat(noRole.statusCode()).isEqualTo(403);
        assertThat(noRole.body()).contains("no Slipway role");
    }

    @Test
    void anAppRoleMappedToPlatformAdminOpensTheOperationsEndpoints() throws Exception {
        var admin = get("/actuator/metrics", token(List.of(APP_ID_URI), Map.of("roles", List.of("Slipway.Admin"))));
        assertThat(admin.statusCode()).isEqualTo(200);
        var developer = get("/actuator/metrics", token(List.of(APP_ID_URI),
                Map.of("groups", List.of(PAYMENTS_GROUP.toString()))));
        assertThat(developer.statusCode()).isEqualTo(403);
    }

    private static String token(List<String> audience, Map<String, Object> claims) {
        var all = new java.util.HashMap<String, Object>(Map.of("iss", ENTRA_ISSUER, "tid", TENANT, "ver", "2.0",
                "name", "Api Client", "preferred_username", "client@contoso.example"));
        all.putAll(claims);
        return ENTRA.issueToken(ISSUER_ID, CLIENT_ID,
                new DefaultOAuth2TokenCallback(ISSUER_ID, "client-object-id", "JWT", audience, all, 3600)).serialize();
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
