package dev.slipway.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.slipway.portal.registry.AcrEvents;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The newcomer's flow in local mode, in Chromium: a service made in the wizard, an ACR push event
 * sent as the README's curl sends it, and the service page showing dev healthy in the sandbox
 * cluster, live, without a reload.
 */
@TestPropertySource(properties = {"slipway.sandbox.enabled=true", "slipway.sandbox.ready-after=500ms"})
class SandboxUiTest extends BrowserTest {

    @Test
    void aServiceMadeInTheWizardRunsInTheSandboxAfterAPushAndItsPageSaysSoLive() throws Exception {
        Page page = signedIn("dev-bob");
        page.navigate(baseUrl() + "/services/new");
        String name = TestCatalog.uniqueName("newcomer");
        page.locator("#name input").fill(name);
        page.locator("#name input").press("Tab");
        page.locator("#create").click();
        page.waitForURL("**/changes/*");
        assertThat(page.locator("#change-state")).hasText("Committed", new LocatorAssertions.HasTextOptions()
                .setTimeout(20_000));

        page.navigate(baseUrl() + "/services/payments/" + name);
        assertThat(page.locator("#env-dev")).containsText("nonprod (sandbox cluster)");
        assertThat(page.locator("#env-dev-state")).hasText("not-deployed", new LocatorAssertions.HasTextOptions()
                .setTimeout(15_000));

        String digest = "sha256:9c3a" + "4d".repeat(30);
        var pushed = AcrEvents.post(port, AcrEvents.event("push.json", "payments/" + name, digest, "1.0.0",
                "2026-12-01T10:00:00Z").toString(), AcrEvents.SECRET);
        org.assertj.core.api.Assertions.assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);

        assertThat(page.locator("#env-dev-state")).hasText("healthy", new LocatorAssertions.HasTextOptions()
                .setTimeout(15_000));
        assertThat(page.locator("#env-dev .slipway-env-running")).containsText("sha256:9c3a4d4d4d4d (1.0.0)");
        assertThat(page.locator("#env-dev-argo")).containsText("Synced, Healthy");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/sandbox-healthy.png"))
                .setFullPage(true));
    }
}
