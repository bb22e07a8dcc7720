package dev.slipway.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.slipway.portal.cluster.StatusFeed;
import dev.slipway.portal.cluster.StatusModel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The service page's environment cards follow the cluster live: progressing, then healthy, with no reload. */
class EnvironmentCardsUiTest extends BrowserTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    StatusModel model;

    @Test
    void aCardGoesFromProgressingToHealthyWithoutAReload() {
        String name = TestCatalog.uniqueName("live");
        TestCatalog.insertService(jdbc, "payments", name, "");
        var feed = new StatusFeed(model);
        Page page = signedIn("dev-alice");
        page.navigate(baseUrl() + "/services/payments/" + name);
        assertThat(page.locator("#env-prod-state")).hasText("unknown");

        feed.synced("nonprod");
        assertThat(page.locator("#env-dev")).containsText("Git asks forno image yet");
        String digest = "sha256:" + "d".repeat(64);
        feed.git("payments", name, "dev", "1.4.2", digest);
        assertThat(page.locator("#env-dev .slipway-env-git")).containsText("1.4.2");
        assertThat(page.locator("#env-dev .slipway-env-git")).containsText("sha256:dddddddddddd");
        feed.deployment("payments", name, "dev", 2, 1, digest);
        assertThat(page.locator("#env-dev-state")).hasText("progressing");
        assertThat(page.locator("#env-dev")).containsText("1/2 ready");
        assertThat(page.locator("#env-dev .slipway-env-running")).containsText("sha256:dddddddddddd (1.4.2) × 1");

        feed.deployment("payments", name, "dev", 2, 2, digest);
        assertThat(page.locator("#env-dev-state")).hasText("healthy");
        assertThat(page.locator("#env-dev")).containsText("2/2 ready");
        assertThat(page.locator("#env-prod-state")).hasText("unknown"); // its cluster is not watched here
        page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots/environment-cards.png")));
    }

    @Test
    void theServicesListShowsABadgePerEnvironmentAndFollowsTooWithoutAReload() {
        String name = TestCatalog.uniqueName("listed");
        TestCatalog.insertService(jdbc, "payments", name, "");
        var feed = new StatusFeed(model);
        Page page = signedIn("dev-bob");
        page.locator("#name-filter input").fill(name);
        var row = page.locator("#services-grid vaadin-grid-cell-content").filter(
                new com.microsoft.playwright.Locator.FilterOptions().setHasText("dev "));
        assertThat(page.locator("#services-grid")).containsText("prod unknown");

        feed.synced("nonprod");
        feed.deployment("payments", name, "dev", 1, 1, "sha256:" + "e".repeat(64));
        assertThat(page.locator("#services-grid")).containsText("dev healthy");
        assertThat(row.first()).containsText("test not-deployed");
    }
}
