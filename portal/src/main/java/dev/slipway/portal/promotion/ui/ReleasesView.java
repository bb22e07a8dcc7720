package dev.slipway.portal.promotion.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.catalog.ui.ServicePage;
import dev.slipway.portal.catalog.ui.ServiceTabs;
import dev.slipway.portal.catalog.ui.ServicesView;
import dev.slipway.portal.cluster.EnvironmentStatus;
import dev.slipway.portal.cluster.StatusModel;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.portal.promotion.Promotion;
import dev.slipway.portal.promotion.PromotionEvents;
import dev.slipway.portal.promotion.Promotions;
import dev.slipway.portal.registry.ServiceImages;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.Role;
import dev.slipway.portal.security.SlipwayUser;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.security.access.AccessDeniedException;

/**
 * A service's Releases tab: per environment, what runs there, a promote control that says why it
 * cannot be used when it cannot, and the release history (what went there when, who asked, who
 * approved, the pull request and the commit).
 */
@Route("services/:team/:name/releases")
@PermitAll
public class ReleasesView extends ServicePage {

    private static final int HISTORY = 20;

    private final Catalog catalog;
    private final Promotions promotions;
    private final PromotionEvents events;
    private final ServiceImages images;
    private final Environments environments;
    private final StatusModel statuses;
    private final CurrentUser currentUser;
    private Service service;
    private Runnable unlisten = () -> { };

    public ReleasesView(Catalog catalog, Promotions promotions, PromotionEvents events, ServiceImages images,
                        Environments environments, StatusModel statuses, CurrentUser currentUser) {
        super(currentUser, "Service");
        this.catalog = catalog;
        this.promotions = promotions;
        this.events = events;
        this.images = images;
        this.environments = environments;
        this.statuses = statuses;
        this.currentUser = currentUser;
    }

    @Override
    protected String show(String team, String name, RouteParameters parameters) {
        service = catalog.service(team, name);
        redraw();
        return service.team() + "/" + service.name() + " releases";
    }

    private void redraw() {
        removeAll();
        var heading = new H2(service.name());
        heading.setId("service-name");
        add(new RouterLink("← All services", ServicesView.class), new Div(heading),
                new ServiceTabs(service.team(), service.name(), ServiceTabs.Page.RELEASES));
        List<ServiceImages.ImageSummary> recent = images.ofService(service.team(), service.name(), 0, 50).items()
                .stream().filter(i -> !i.deleted()).toList();
        for (Environment environment : environments.all()) {
            add(section(environment, recent));
        }
    }

    private Div section(Environment environment, List<ServiceImages.ImageSummary> recent) {
        var section = new Div();
        section.addClassName("slipway-release-env");
        section.setId("releases-" + environment.name());
        EnvironmentStatus status = statuses.status(new EnvironmentStatus.Key(service.team(), service.name(),
                environment.name()));
        var state = new Span(status.state().id());
        state.addClassNames("slipway-badge", "slipway-state-" + status.state().id());
        String runs = status.running().isEmpty() ? "runs nothing"
                : "runs " + status.running().keySet().stream().map(PromotionBadges::shortDigest).collect(Collectors.joining(", "));
        section.add(new H3(environment.name()), new Div(state, new Span(" " + runs)));

        SlipwayUser user = currentUser.get();
        var image = new ComboBox<ServiceImages.ImageSummary>("Image");
        image.setItems(recent);
        image.setItemLabelGenerator(i -> (i.tags().isEmpty() ? "(untagged)" : String.join(", ", i.tags())) + " · "
                + PromotionBadges.shortDigest(i.digest()));
        image.setId("promote-image-" + environment.name());
        image.setWidth("24em");
        if (!recent.isEmpty()) {
            image.setValue(recent.getFirst());
        }
        var promote = new Button("Promote to " + environment.name());
        promote.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        promote.setId("promote-" + environment.name());
        String why = !user.has(Role.DEVELOPER) || !user.isMemberOf(service.team())
                ? "Only developers of team " + service.team() + " can promote its services."
                : recent.isEmpty() ? "No image yet: push one to the registry, then promote it." : null;
        promote.setEnabled(why == null);
        image.setEnabled(why == null);
        promote.addClickListener(click -> {
            if (image.getValue() == null) {
                image.setInvalid(true);
                image.setErrorMessage("Choose the image to promote.");
                return;
            }
            try {
                Promotion requested = promotions.request(service.team(), service.name(), environment.name(),
                        image.getValue().digest());
                getUI().ifPresent(ui -> ui.navigate(PromotionView.class, new RouteParameters("id", requested.id().toString())));
            } catch (AccessDeniedException | InvalidInputException refused) {
                PromotionBadges.refused(refused);
            }
        });
        var controls = new HorizontalLayout(image, promote);
        controls.setAlignItems(com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment.BASELINE);
        section.add(controls);
        if (why != null) {
            var note = new Paragraph(why);
            note.addClassName("slipway-hint");
            note.setId("promote-why-not-" + environment.name());
            section.add(note);
        }

        var history = new Grid<Promotion>(Promotion.class, false);
        history.setId("history-" + environment.name());
        history.addComponentColumn(p -> new RouterLink(PromotionBadges.when(p.requestedAt()), PromotionView.class,
                new RouteParameters("id", p.id().toString()))).setHeader("Requested").setAutoWidth(true);
        history.addComponentColumn(p -> PromotionBadges.state(p.state())).setHeader("State").setAutoWidth(true);
        history.addColumn(p -> (p.rollback() ? "rollback to " : "") + (p.tag() == null ? "" : p.tag() + " ")
                + PromotionBadges.shortDigest(p.digest())).setHeader("Image").setAutoWidth(true);
        history.addColumn(Promotion::requestedBy).setHeader("Asked by").setAutoWidth(true);
        history.addColumn(p -> p.decisions().stream().filter(d -> d.decision().equals("approved"))
                .map(Promotion.Decision::by).collect(Collectors.joining(", "))).setHeader("Approved by").setAutoWidth(true);
        history.addComponentColumn(p -> p.pullRequest() == null || p.pullRequest().url() == null ? new Span("")
                : new Anchor(p.pullRequest().url(), "#" + p.pullRequest().id().replace("slipway/change-", "")
                .substring(0, Math.min(8, p.pullRequest().id().replace("slipway/change-", "").length()))))
                .setHeader("Pull request").setAutoWidth(true);
        history.addComponentColumn(p -> p.commit() == null ? new Span("")
                : new Anchor("changes/" + p.change(), p.commit().substring(0, 12))).setHeader("Commit").setAutoWidth(true);
        history.setItems(promotions.list(null, service.team(), service.name(), environment.name(), 0, HISTORY));
        history.setAllRowsVisible(true);
        history.setEmptyStateText("Nothing promoted to " + environment.name() + " yet.");
        section.add(history);
        return section;
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        UI ui = attach.getUI();
        unlisten = events.listen(changed -> {
            if (service != null && changed.team().equals(service.team()) && changed.service().equals(service.name())) {
                ui.access(this::redraw);
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        unlisten.run();
        super.onDetach(detach);
    }
}
