package dev.slipway.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The wizard in Chromium: template, form checked as typed, preview with the policy check, create, live state. */
class NewServiceUiTest extends BrowserTest {

    @Test
    void aDeveloperPreviewsAndCreatesAServiceThenWatchsItsChangeCommit() {
        Page page = signedIn("dev-bob");
        page.locator("vaadin-side-nav-item", new Page.LocatorOptions().setHasText("New service")).click();
        page.waitForURL("**/services/new");
        assertThat(page.locator("#team input")).hasValue("payments");

        page.locator("#name input").fill("Bad_Name");
        page.locator("#name input").press("Tab");
        assertThat(page.locator("#name")).hasAttribute("invalid", "");
        assertThat(page.locator("#create")).isDisabled();

        page.locator("#parameter-replicas input").fill("0");
        page.locator("#parameter-replicas input").press("Tab");
        assertThat(page.locator("#parameter-replicas")).hasAttribute("invalid", "");
        page.locator("#parameter-replicas input").fill("2");
        page.locator("#parameter-replicas input").press("Tab");

        String name = TestCatalog.uniqueName("wizard");
        page.locator("#name input").fill(name);
        page.locator("#name input").press("Tab");
        page.locator("#description textarea").fill("Made in the wizard: \"quotes\" and colons: fine");
        page.locator("#description textarea").press("Tab");
        assertThat(page.locator("#preview")).isEnabled();
        page.locator("#preview").click();
        assertThat(page.locator("#policy-passes")).isVisible();
        assertThat(page.locator("#preview-result")).containsText("services/payments/" + name + "/values.yaml");
        assertThat(page.locator("#preview-result")).containsText("clusters/prod/apps/payments/" + name + "-prod.yaml");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/new-service.png")).setFullPage(true));

        page.locator("#create").click();
        page.waitForURL("**/changes/*");
        assertThat(page.locator("#change-state")).hasText("Committed", new com.microsoft.playwright.assertions
                .LocatorAssertions.HasTextOptions().setTimeout(20_000));
        assertThat(page.locator("#change-commit")).hasText(java.util.regex.Pattern.compile("[0-9a-f]{40}"));
        // the files the change wrote, as a diff against what the branch held before its commit
        assertThat(page.locator("#change-files [data-path='services/payments/" + name + "/values.yaml']"))
                .containsText("added");
        assertThat(page.locator("#change-files [data-path='services/payments/" + name + "/values.yaml'] pre"))
                .containsText("+++ b/services/payments/" + name + "/values.yaml");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/change.png")));

        page.navigate(baseUrl() + "/services/payments/" + name);
        assertThat(page.locator("#changes-grid")).containsText("committed");
    }

    @Test
    void qaHasNoNewServiceEntry() {
        Page page = signedIn("qa-quinn");
        assertThat(page.locator("vaadin-side-nav")).containsText("Services");
        assertThat(page.locator("vaadin-side-nav")).not().containsText("New service");
    }
}
