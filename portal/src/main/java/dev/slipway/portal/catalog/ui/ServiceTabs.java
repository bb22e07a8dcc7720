package dev.slipway.portal.catalog.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;

/**
 * The service page's tabs. Each is a page of its own (its own URL, so it can be linked and reloaded);
 * features add theirs by path, so the catalog does not depend on them.
 */
public final class ServiceTabs extends Tabs {

    public enum Page {
        OVERVIEW("", "Overview"), IMAGES("/images", "Images"), RELEASES("/releases", "Releases");

        private final String path;
        private final String label;

        Page(String path, String label) {
            this.path = path;
            this.label = label;
        }
    }

    public ServiceTabs(String team, String name, Page selected) {
        setId("service-tabs");
        for (Page page : Page.values()) {
            var link = new Anchor("services/" + team + "/" + name + page.path, page.label);
            var tab = new Tab(link);
            tab.setId("service-tab-" + page.name().toLowerCase(java.util.Locale.ROOT));
            add(tab);
            if (page == selected) {
                setSelectedTab(tab);
            }
        }
    }
}
