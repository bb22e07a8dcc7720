package dev.slipway.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.slipway.portal.registry.AcrEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Images and scans in a real Chromium: a service's Images tab with its badges and trend, an image's
 * findings filtered, a security user waiving one from its row, the empty state that says how images
 * arrive, and a platform admin's view of images no service owns.
 */
class ImagesUiTest extends BrowserTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aDeveloperReadsTheFindingsAndASecurityUserWaivesOne() throws Exception {
        String name = TestCatalog.uniqueName("shown");
        TestCatalog.insertService(jdbc, "payments", name, "");
        String older = "sha256:" + "c3".repeat(32);
        String newer = "sha256:" + "d4".repeat(32);
        push("payments/" + name, older, "1.0.0", "2026-12-01T08:00:00Z");
        push("payments/" + name, newer, "1.1.0", "2026-12-01T09:00:00Z");
        upload(name, older, "alpine-39.json.golden", "2026-12-01T09:30:00Z");
        upload(name, newer, "fluentd-gems.json.golden", "2026-12-01T10:00:00Z");

        Page page = signedIn("dev-alice");
        page.navigate(baseUrl() + "/services/payments/" + name);
        page.locator("#service-tab-images a").click();
        page.waitForURL("**/services/payments/" + name + "/images");
        Locator grid = page.locator("#images-grid");
        assertThat(grid).containsText("1.1.0");
        assertThat(grid).containsText("1 critical");
        assertThat(grid).containsText("1 high");
        assertThat(grid).containsText("4 medium"); // the older image's
        // the trend: a bar per severity with findings, over both images
        assertThat(page.locator("#findings-trend rect")).hasCount(4);
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/service-images.png")));

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("1.1.0")).click();
        page.waitForURL("**/images/" + newer);
        Locator findings = page.locator("#findings-grid");
        assertThat(findings).containsText("CVE-2019-18224");
        assertThat(findings).containsText("CVE-2020-8165");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("CVE-2019-18224")))
                .hasAttribute("href", "https://avd.aquasec.com/nvd/cve-2019-18224");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Waive…"))).hasCount(0);
        page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("high").setExact(true)).check();
        assertThat(findings).not().containsText("CVE-2019-18224");
        assertThat(findings).containsText("CVE-2020-8165");

        Page security = signedIn("sec-sam");
        security.navigate(baseUrl() + "/services/payments/" + name + "/images/" + newer);
        Locator row = security.locator("#findings-grid vaadin-grid-cell-content").filter(
                new Locator.FilterOptions().setHasText("Waive…")).first();
        assertThat(security.locator("#findings-grid")).containsText("CVE-2019-18224");
        row.click(); // the critical is the first row: worst first
        assertThat(security.getByText("Waive CVE-2019-18224")).isVisible();
        assertThat(security.locator("#waiver-reason")).isVisible();
        security.locator("#waiver-save").click();
        assertThat(security.locator("#waiver-reason")).hasAttribute("invalid", "");
        security.locator("#waiver-reason textarea").fill("libidn2 never sees user input here");
        security.locator("#waiver-save").click();
        assertThat(security.locator("#findings-grid")).containsText("waived");
        security.reload();
        assertThat(security.locator("#waivers-grid")).containsText("libidn2 never sees user input here");
        assertThat(security.locator("#waivers-grid")).containsText("active");
        assertThat(jdbc.sql("select count(*) from waivers w join services s on s.id = w.service_id where s.name = ?")
                .param(name).query(Integer.class).single()).isEqualTo(1);
        security.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/image.png")));
    }

    @Test
    void aServiceWithoutImagesSaysHowTheyArrive() {
        String name = TestCatalog.uniqueName("bare");
        TestCatalog.insertService(jdbc, "search", name, "");
        Page page = signedIn("dev-carol");
        page.navigate(baseUrl() + "/services/search/" + name + "/images");
        assertThat(page.locator("#images-empty")).containsText("docker push " + AcrEvents.REGISTRY + "/search/" + name);
        assertThat(page.locator("#images-empty")).containsText(baseUrl() + "/api/v1/webhooks/acr");
        assertThat(page.locator("#findings-trend")).hasCount(0);
    }

    @Test
    void platformAdminsSeeTheImagesNoServiceOwns() throws Exception {
        String repository = "nobodys/" + TestCatalog.uniqueName("orphan");
        push(repository, "sha256:" + "e5".repeat(32), "0.1.0", "2026-12-01T08:00:00Z");
        Page admin = signedIn("admin-ada");
        admin.navigate(baseUrl() + "/images");
        admin.locator("#unowned-filter input").check();
        assertThat(admin.locator("#all-images-grid")).containsText(repository);
        assertThat(admin.locator("#all-images-grid")).containsText("unowned");

        Page developer = signedIn("dev-alice");
        developer.navigate(baseUrl() + "/images");
        assertThat(developer.locator("#all-images-grid")).isVisible();
        assertThat(developer.locator("#unowned-filter")).hasCount(0);
        assertThat(developer.locator("#all-images-grid")).not().containsText(repository);
    }

    private void push(String repository, String digest, String tag, String at) throws Exception {
        var response = AcrEvents.post(port, AcrEvents.event("push.json", repository, digest, tag, at).toString(),
                AcrEvents.SECRET);
        assertThat(response.statusCode()).isEqualTo(202);
    }

    private void upload(String service, String digest, String fixture, String at) throws Exception {
        ObjectNode report = (ObjectNode) JsonMapper.builder().build().readTree(
                Files.readString(Path.of(System.getProperty("slipway.fixtures"), "trivy", fixture)));
        report.put("CreatedAt", at);
        var response = ApiClient.as(port, "ci-robot").post("/api/v1/scans?image=" + AcrEvents.REGISTRY + "/payments/"
                + service + "@" + digest, report.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
