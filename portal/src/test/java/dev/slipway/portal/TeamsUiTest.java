package dev.slipway.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

/** Platform admins manage teams in the browser; developers do not even see the entry. */
class TeamsUiTest extends BrowserTest {

    @Test
    void anAdminCreatesATeamAndSeesTheNameRuleWhenItIsBroken() {
        Page page = signedIn("admin-ada");
        page.locator("vaadin-side-nav-item", new Page.LocatorOptions().setHasText("Teams (admin)")).click();
        page.waitForURL("**/admin/teams");
        assertThat(page.locator("#teams-grid")).containsText("payments");

        page.locator("#new-team").click();
        page.locator("#team-name input").fill("Risk_Team");
        page.locator("#team-display-name input").fill("Risk");
        page.locator("#save-team").click();
        assertThat(page.locator("#team-name")).hasAttribute("invalid", "");
        assertThat(page.locator("#team-name")).containsText("lower case letters");
        page.waitForTimeout(600);
        page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots/new-team.png")));

        String name = TestCatalog.uniqueName("risk");
        page.locator("#team-name input").fill(name);
        page.locator("#save-team").click();
        assertThat(page.locator("vaadin-notification-card")).containsText("Team " + name + " saved");
        assertThat(page.locator("#teams-grid")).containsText(name);
    }

    @Test
    void aDeveloperHasNoAdminEntryAndCannotOpenTheAdminPage() {
        Page page = signedIn("dev-alice");
        String baseUrl = baseUrl();
        assertThat(page.locator("vaadin-side-nav")).containsText("Services");
        assertThat(page.locator("vaadin-side-nav")).not().containsText("Teams");
        page.navigate(baseUrl + "/admin/teams");
        assertThat(page.locator("#teams-grid")).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New team"))).hasCount(0);
    }
}
