package dev.slipway.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A developer signs in, finds a service in the list and opens its page, in a real Chromium. */
class ServicesUiTest extends BrowserTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void devAliceSignsInOpensTheServicesListAndAServicePage() {
        String ledger = TestCatalog.uniqueName("ledger");
        TestCatalog.insertService(jdbc, "payments", ledger, "Keeps the books <b>in order</b>");
        String other = TestCatalog.uniqueName("indexer");
        TestCatalog.insertService(jdbc, "search", other, "");

        Page page = signedIn("dev-alice");

        assertThat(page).hasTitle("Services · Slipway");
        assertThat(page.locator("#signed-in-user")).containsText("Alice");
        assertThat(page.locator("#user-roles")).hasText("developer");
        assertThat(page.locator("#signed-in-user")).containsText("team payments");

        page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots/services.png")));
        // narrow the list by part of the name
        page.locator("#name-filter input").fill(ledger.substring(0, 14));
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(ledger))).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(other))).hasCount(0);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(ledger)).click();
        page.waitForURL("**/services/payments/" + ledger);
        assertThat(page).hasTitle("payments/" + ledger + " · Slipway");
        assertThat(page.locator("#service-name")).hasText(ledger);
        // a description is text, never markup
        assertThat(page.locator(".slipway-description")).hasText("Keeps the books <b>in order</b>");
        assertThat(page.locator("#environments-grid")).containsText("payments-prod");
        page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of("target/screenshots/service.png")));
    }

    @Test
    void filtersThatMatchNothingSayHowToRecover() {
        Page page = signedIn("dev-carol");
        page.locator("#name-filter input").fill("zz-nothing-is-called-this");
        assertThat(page.locator("#services-empty")).containsText("No service matches");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Clear filters")).click();
        assertThat(page.locator("#name-filter input")).hasValue("");
    }

    @Test
    void anUnknownServiceIsAClearMessageNotAnError() {
        Page page = signedIn("qa-quinn");
        page.navigate(baseUrl() + "/services/payments/no-such-service");
        assertThat(page.locator("#service-not-found")).containsText("Team payments has no service named no-such-service.");
    }

    @Test
    void aWrongPasswordKeepsYouOnTheLoginPageWithAMessage() {
        Page page = anonymous();
        page.navigate(baseUrl() + "/login");
        page.locator("input[name='username']").fill("dev-alice");
        page.locator("input[name='password']").fill("not-the-password");
        page.locator("vaadin-button[slot='submit'], button[type='submit']").first().click();
        page.waitForURL("**/login?error");
        assertThat(page.locator("vaadin-login-form")).containsText("Wrong user name or password");
    }

    @Test
    void someoneWithoutARoleIsToldWhatIsMissing() {
        Page page = signedIn("nobody");
        assertThat(page.locator("#no-role")).containsText("You have no role in Slipway yet");
        assertThat(page.locator("#services-grid")).hasCount(0);
    }
}
