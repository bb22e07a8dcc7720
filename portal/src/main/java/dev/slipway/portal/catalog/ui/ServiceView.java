package dev.slipway.portal.catalog.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.Changes;
import dev.slipway.portal.cluster.EnvironmentStatus;
import dev.slipway.portal.cluster.StatusHistory;
import dev.slipway.portal.cluster.StatusModel;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.portal.security.CurrentUser;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** One service: who owns it, what it was made from, and where it deploys. */
@Route("services/:team/:name")
@PermitAll
public class ServiceView extends ServicePage {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Catalog catalog;
    private final Environments environments;
    private final Changes changes;
    private final StatusModel statuses;
    private final StatusHistory history;
    private Runnable unlisten = () -> { };

    public ServiceView(Catalog catalog, Environments environments, CurrentUser currentUser, Changes changes,
                       StatusModel statuses, StatusHistory history) {
        super(currentUser, "Service");
        this.changes = changes;
        this.statuses = statuses;
        this.history = history;
        this.catalog = catalog;
        this.environments = environments;
    }

    static Map<String, String> parameters(String team, String name) {
        return Map.of("team", team, "name", name);
    }

    @Override
    protected String show(String team, String name, RouteParameters parameters) {
        Service service = catalog.service(team, name);
        show(service);
        return service.team() + "/" + service.name();
    }

    private void show(Service service) {
        var heading = new H2(service.name());
        heading.setId("service-name");
        var team = new Span("Team " + service.team());
        team.addClassName("slipway-badge");
        var description = new Paragraph(service.description().isBlank() ? "No description." : service.description());
        description.addClassName("slipway-description");

        var facts = new Div(
                fact("Template", service.templateId() + " " + service.templateVersion()),
                fact("Created by", service.createdBy()),
                fact("Created", WHEN.format(service.createdAt().atZone(ZoneId.systemDefault()))),
                fact("Service id", service.id().toString()));
        facts.addClassName("slipway-facts");

        var envGrid = new Grid<Environment>(Environment.class, false);
        envGrid.addColumn(Environment::name).setHeader("Environment");
        envGrid.addColumn(Environment::cluster).setHeader("Cluster");
        envGrid.addColumn(e -> e.tier().name().toLowerCase(Locale.ROOT)).setHeader("Tier");
        envGrid.addColumn(e -> e.namespaceOf(service.team())).setHeader("Namespace");
        envGrid.setItems(environments.all());
        envGrid.setAllRowsVisible(true);
        envGrid.setId("environments-grid");

        var changeGrid = new Grid<ChangeRecord>(ChangeRecord.class, false);
        changeGrid.addComponentColumn(c -> new com.vaadin.flow.component.html.Anchor("changes/" + c.id(), c.title()))
                .setHeader("Change").setFlexGrow(1);
        changeGrid.addColumn(c -> c.state().id()).setHeader("State").setAutoWidth(true);
        changeGrid.addColumn(c -> c.commitSha() == null ? "" : c.commitSha().substring(0, 12)).setHeader("Commit")
                .setAutoWidth(true);
        changeGrid.addColumn(ChangeRecord::requestedBy).setHeader("Requested by").setAutoWidth(true);
        changeGrid.setItems(changes.ofService(service.id()));
        changeGrid.setAllRowsVisible(true);
        changeGrid.setId("changes-grid");

        add(new RouterLink("← All services", ServicesView.class), new Div(heading, team),
                new ServiceTabs(service.team(), service.name(), ServiceTabs.Page.OVERVIEW), description, facts,
                new H3("Status"), cards(service),
                new H3("Environments"), envGrid, new H3("Changes"), changeGrid);
    }

    /** A card per environment, redrawn as the model announces a change of this service: no polling. */
    private Div cards(Service service) {
        unlisten.run();
        var cards = new Div();
        cards.addClassName("slipway-env-cards");
        cards.setId("environment-cards");
        var byEnvironment = new java.util.HashMap<String, EnvironmentCard>();
        for (Environment environment : environments.all()) {
            var key = new EnvironmentStatus.Key(service.team(), service.name(), environment.name());
            var card = new EnvironmentCard(environment, statuses.clusterOf(environment.name()));
            card.show(statuses.status(key), history.of(key, 4));
            byEnvironment.put(environment.name(), card);
            cards.add(card);
        }
        unlisten = statuses.listen(service.team(), service.name(), status -> getUI().ifPresent(ui -> ui.access(() -> {
            EnvironmentCard card = byEnvironment.get(status.key().environment());
            if (card != null) {
                card.show(status, card.stateChanged(status) ? history.of(status.key(), 4) : null);
            }
        })));
        return cards;
    }

    @Override
    protected void onDetach(com.vaadin.flow.component.DetachEvent detach) {
        unlisten.run();
        unlisten = () -> { };
        super.onDetach(detach);
    }

    /** A labelled value in a page's facts (class {@code slipway-facts}). */
    public static Div fact(String label, String value) {
        var term = new Span(label);
        term.addClassName("slipway-fact-label");
        var data = new Span(value);
        data.addClassName("slipway-fact-value");
        return new Div(term, data);
    }
}
