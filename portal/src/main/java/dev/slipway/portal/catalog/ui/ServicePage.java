package dev.slipway.portal.catalog.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.NoRolePanel;
import java.util.Locale;

/**
 * A page about one service ({@code services/:team/:name/...}): someone without a role is told what is
 * missing, and a service (or what the page is about) that does not exist is a message, not an error.
 */
public abstract class ServicePage extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final CurrentUser currentUser;
    private final String subject;
    private String title;

    /** @param subject what the page is about, for its not-found message ("Service", "Image") */
    protected ServicePage(CurrentUser currentUser, String subject) {
        this.currentUser = currentUser;
        this.subject = subject;
        this.title = subject;
        addClassName("slipway-page");
    }

    /** Fills the page; returns its title. */
    protected abstract String show(String team, String name, RouteParameters parameters);

    @Override
    public final void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        if (!currentUser.get().mayRead()) {
            add(new NoRolePanel(currentUser.get()));
            return;
        }
        RouteParameters parameters = event.getRouteParameters();
        try {
            title = show(parameters.get("team").orElse(""), parameters.get("name").orElse(""), parameters);
        } catch (NotFoundException missing) {
            title = "Not found";
            var state = new Div(new H2(subject + " not found"), new Paragraph(missing.getMessage()),
                    new RouterLink("Back to all services", ServicesView.class));
            state.addClassName("slipway-empty");
            state.setId(subject.toLowerCase(Locale.ROOT) + "-not-found");
            add(state);
        }
    }

    @Override
    public String getPageTitle() {
        return title + " · Slipway";
    }
}
