package dev.slipway.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.slipway.portal.database.DataDirectory;
import dev.slipway.portal.promotion.Releases;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A release to production in Chromium, with the sandbox cluster: the requester promotes from the
 * service's Releases tab and cannot approve; another team's developer is told why they cannot
 * promote; QA sees the queue's count in the navigation and approves from the queue; the requester's
 * open page follows the promotion to deployed without a reload; the release history names who
 * asked and who approved; the platform admin finds it in the audit view and verifies the chain.
 */
@TestPropertySource(properties = {"slipway.sandbox.enabled=true", "slipway.sandbox.ready-after=500ms"})
class PromotionsUiTest extends BrowserTest {

    private static final LocatorAssertions.HasTextOptions LONG = new LocatorAssertions.HasTextOptions().setTimeout(40_000);

    @Autowired
    DataDirectory data;

    @Test
    void aDeveloperPromotesToProdFromTheReleasesTabAndQaApprovesFromTheQueue() throws Exception {
        var releases = new Releases(port, data.path());
        String service = releases.createService("ui-release");
        String digest = Releases.newDigest();
        releases.push(service, digest, "3.1.0", Instant.now());
        releases.scan(service, digest, "sl-micro-rancher5.4.json.golden");
        releases.awaitEnvironment(service, "dev", "healthy");
        releases.awaitState(releases.requested("dev-alice", service, "test", digest).path("id").asString(), "deployed");

        // another team's developer: the button says why it cannot be used
        Page carol = signedIn("dev-carol");
        carol.navigate(baseUrl() + "/services/payments/" + service + "/releases");
        assertThat(carol.locator("#promote-prod")).isDisabled();
        assertThat(carol.locator("#promote-why-not-prod")).containsText("Only developers of team payments");

        // the requester promotes to prod from the Releases tab and lands on the promotion
        Page alice = signedIn("dev-alice");
        alice.navigate(baseUrl() + "/services/payments/" + service + "/releases");
        assertThat(alice.locator("#promote-prod")).isEnabled();
        alice.locator("#promote-prod").click();
        alice.waitForURL("**/promotions/*");
        String id = alice.url().substring(alice.url().lastIndexOf('/') + 1);
        assertThat(alice.locator("#promotion-state")).hasText("awaiting-approval");
        assertThat(alice.locator("#promotion-approve")).isDisabled();
        assertThat(alice.locator("#promotion-why-not")).containsText("You requested it");
        assertThat(alice.locator("#promotion-diff")).containsText(digest);

        // QA: the queue's count in the navigation, the queue first, approve from it
        Page quinn = signedIn("qa-quinn");
        quinn.navigate(baseUrl() + "/promotions");
        assertThat(quinn.locator("#nav-queue-count")).isVisible();
        assertThat(quinn.locator("#qa-queue")).containsText("payments/" + service + " → prod");
        assertThat(quinn.locator("#qa-queue")).containsText("no findings");
        assertThat(quinn.locator("#qa-queue")).containsText("test: healthy");
        quinn.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/qa-queue.png")).setFullPage(true));
        quinn.locator("#approve-" + id).click();

        // the requester's page follows it, live, to deployed
        assertThat(alice.locator("#promotion-state")).hasText("deployed", LONG);
        assertThat(alice.locator("#promotion-transitions")).containsText("qa-quinn");
        alice.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/promotion-deployed.png"))
                .setFullPage(true));

        // the release history per environment
        alice.navigate(baseUrl() + "/services/payments/" + service + "/releases");
        assertThat(alice.locator("#history-prod")).containsText("qa-quinn");
        assertThat(alice.locator("#history-prod")).containsText("deployed");
        assertThat(alice.locator("#history-test")).containsText("dev-alice");
        alice.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/releases.png")).setFullPage(true));

        // the platform admin's audit view: filtered to the service, and the chain verified
        Page ada = signedIn("admin-ada");
        ada.navigate(baseUrl() + "/admin/audit");
        ada.locator("#audit-service input").fill(service);
        ada.locator("#audit-service input").press("Enter");
        ada.locator("#audit-action input").fill("promotion.");
        ada.locator("#audit-action input").press("Enter");
        assertThat(ada.locator("#audit-grid")).containsText("promotion.deployed",
                new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
        // (a grid keeps the cells of rows it no longer shows, hidden: only the visible ones count)
        assertThat(ada.locator("#audit-grid vaadin-grid-cell-content:visible:has-text('service.created')")).hasCount(0);
        assertThat(ada.locator("#audit-grid vaadin-grid-cell-content:visible:has-text('promotion.requested')")).hasCount(2); // test's and prod's
        ada.locator("#audit-verify").click();
        assertThat(ada.locator("#audit-verdict")).containsText("Intact");
        ada.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/audit.png")).setFullPage(true));

        // and a developer cannot open the audit view
        alice.navigate(baseUrl() + "/admin/audit");
        assertThat(alice.locator("#audit-grid")).hasCount(0);
    }
}
