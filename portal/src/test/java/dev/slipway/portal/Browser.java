package dev.slipway.portal;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright (Playwright's own browser download cannot run here).
 * SLIPWAY_CHROMIUM overrides the executable.
 */
public final class Browser implements AutoCloseable {

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;

    public Browser() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Path executable = Path.of(System.getenv().getOrDefault("SLIPWAY_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("Chromium not found at " + executable
                    + ": install it (apt-get install chromium) or set SLIPWAY_CHROMIUM");
        }
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(executable)
                .setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run")));
    }

    public Page newPage() {
        Page page = browser.newContext().newPage();
        page.setDefaultTimeout(20_000);
        return page;
    }

    /** Signs in through the login view and waits until the portal has left it. */
    public static void signIn(Page page, String baseUrl, String user, String password) {
        page.navigate(baseUrl + "/login");
        page.locator("input[name='username']").fill(user);
        page.locator("input[name='password']").fill(password);
        page.locator("vaadin-button[slot='submit'], button[type='submit']").first().click();
        page.waitForURL(url -> !url.contains("/login"));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
