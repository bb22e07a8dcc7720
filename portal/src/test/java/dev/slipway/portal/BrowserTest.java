package dev.slipway.portal;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A portal test class driving one Chromium for all its tests. */
@PortalTest
abstract class BrowserTest {

    private static Browser browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** A fresh browser context signed in as a local user. */
    Page signedIn(String user) {
        Page page = browser.newPage();
        Browser.signIn(page, baseUrl(), user, "slipway-local");
        return page;
    }

    Page anonymous() {
        return browser.newPage();
    }
}
