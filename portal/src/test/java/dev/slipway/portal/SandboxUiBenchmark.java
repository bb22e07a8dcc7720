package dev.slipway.portal;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.slipway.portal.registry.AcrEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Local mode's push-to-healthy time as a newcomer sees it, in Chromium: the portal started as
 * {@code ./dev run} starts it (local mode, its sandbox clusters, the default 3 s ready delay, an
 * embedded PostgreSQL in a fresh data directory), a service created, its page open, then 20 ACR pushes
 * one after another, each timed from the moment it is sent until the page shows dev healthy running
 * that digest (Vaadin push, no reload).
 *
 * <p>Run: {@code ./dev bench-sandbox-ui}.
 */
public final class SandboxUiBenchmark {

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("slipway-sandbox-ui-");
        ConfigurableApplicationContext portal = SpringApplication.run(dev.slipway.portal.SlipwayApplication.class,
                "--server.port=0", "--slipway.data-dir=" + data, "--logging.level.root=warn");
        int port = Integer.parseInt(portal.getEnvironment().getProperty("local.server.port"));
        String base = "http://localhost:" + port;
        try (Browser browser = new Browser()) {
            var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                    "{\"team\": \"payments\", \"name\": \"checkout\", \"template\": \"http-service\"}");
            if (created.statusCode() != 202) {
                throw new IllegalStateException("creating the service: " + created.statusCode() + " " + created.body());
            }
            Page page = browser.newPage();
            Browser.signIn(page, base, "dev-alice", "slipway-local");
            page.navigate(base + "/services/payments/checkout");
            var wait = new LocatorAssertions.HasTextOptions().setTimeout(60_000);
            PlaywrightAssertions.assertThat(page.locator("#env-dev-state")).hasText("not-deployed", wait);
            var latencies = new ArrayList<Long>();
            Instant first = Instant.parse("2026-12-01T00:00:00Z");
            for (int i = 0; i < 20; i++) {
                String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(("ui-push-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                long sent = System.nanoTime();
                var pushed = AcrEvents.post(port, AcrEvents.event("push.json", "payments/checkout", digest, "1.0." + i,
                        first.plusSeconds(i).toString()).toString(), AcrEvents.SECRET);
                if (pushed.statusCode() != 202) {
                    throw new IllegalStateException("push " + i + ": " + pushed.statusCode() + " " + pushed.body());
                }
                String shortDigest = digest.substring(0, "sha256:".length() + 12);
                // healthy, and running only the new digest (the old pods gone)
                PlaywrightAssertions.assertThat(page.locator("#env-dev-state")).hasText("healthy", wait);
                PlaywrightAssertions.assertThat(page.locator("#env-dev .slipway-env-running"))
                        // (Playwright runs the pattern as a JavaScript regex: no \Q…\E quoting)
                        .hasText(java.util.regex.Pattern.compile("^\\s*" + shortDigest + "\\s*\\(1\\.0\\." + i
                                + "\\)\\s*× \\d+\\s*$"), wait);
                PlaywrightAssertions.assertThat(page.locator("#env-dev-state")).hasText("healthy", wait);
                latencies.add(System.nanoTime() - sent);
            }
            List<Long> sorted = latencies.stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%nSlipway sandbox in the browser: push -> dev healthy with that digest on the"
                            + " service page, 20 pushes one after another: p50 %.2f s, p90 %.2f s, max %.2f s"
                            + " (target p50 < 5 s with the 3 s ready delay); %d cores, Java %s%n",
                    sorted.get(9) / 1e9, sorted.get(17) / 1e9, sorted.get(19) / 1e9,
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
        } finally {
            portal.close();
            try (var paths = Files.walk(data)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }
}
