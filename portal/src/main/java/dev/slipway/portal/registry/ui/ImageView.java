package dev.slipway.portal.registry.ui;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.catalog.ui.DigestText;
import dev.slipway.portal.catalog.ui.ServicePage;
import dev.slipway.portal.registry.Finding;
import dev.slipway.portal.registry.ScansProperties;
import dev.slipway.portal.registry.ServiceImages;
import dev.slipway.portal.registry.Waivers;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.Role;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One image: what it is and where it runs, its findings from every source (worst first, sortable,
 * filtered by severity or to those with a fix, waived ones marked), and the waivers that concern it.
 * A security user waives a finding from its row and revokes waivers here.
 */
@Route("services/:team/:name/images/:digest")
@PermitAll
public class ImageView extends ServicePage {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ServiceImages images;
    private final Waivers waivers;
    private final CurrentUser currentUser;
    private final ScansProperties scans;
    private final Clock clock;
    private final CheckboxGroup<Finding.Severity> severities = new CheckboxGroup<>("Severity");
    private final Checkbox fixableOnly = new Checkbox("Only findings with a fix");

    public ImageView(ServiceImages images, Waivers waivers, CurrentUser currentUser, ScansProperties scans, Clock clock) {
        super(currentUser, "Image");
        this.images = images;
        this.waivers = waivers;
        this.currentUser = currentUser;
        this.scans = scans;
        this.clock = clock;
        setWidthFull();
    }

    static RouteParameters parameters(String team, String name, String digest) {
        return new RouteParameters(Map.of("team", team, "name", name, "digest", digest));
    }

    @Override
    protected String show(String team, String name, RouteParameters parameters) {
        String digest = parameters.get("digest").orElse("");
        ServiceImages.ImageDetail detail = images.image(team, name, digest, Set.of(), null, 0, 1);
        show(team, name, digest, detail);
        ServiceImages.ImageSummary image = detail.image();
        return team + "/" + name + (image.tags().isEmpty() ? "@" + digest.substring(0, Math.min(19, digest.length()))
                : ":" + image.tags().getFirst());
    }

    private void show(String team, String name, String digest, ServiceImages.ImageDetail detail) {
        ServiceImages.ImageSummary image = detail.image();
        var heading = new H2(image.tags().isEmpty() ? "(untagged)" : String.join(", ", image.tags()));
        heading.setId("image-tags");
        var facts = new Div(fact("Repository", new Span(image.reference().substring(0, image.reference().indexOf('@')))),
                fact("Digest", DigestText.of(image.digest())),
                fact("Pushed", new Span(WHEN.format(image.pushedAt()) + (image.deleted() ? " · deleted from the registry" : ""))),
                fact("Runs in", new Span(image.environments().isEmpty() ? "no environment" : String.join(", ", image.environments()))),
                fact("Findings", ImageBadges.severities(image.severities())),
                fact("Scanned", new Span(ImageBadges.scanAges(image.scans()))));
        facts.addClassName("slipway-facts");
        facts.setId("image-facts");

        boolean security = currentUser.get().has(Role.SECURITY);
        var grid = new Grid<ServiceImages.FindingView>(ServiceImages.FindingView.class, false);
        grid.addComponentColumn(f -> f.primaryUrl() == null ? new Span(f.vulnerabilityId())
                        : new Anchor(f.primaryUrl(), f.vulnerabilityId(), AnchorTarget.BLANK))
                .setHeader("Vulnerability").setSortable(true).setSortProperty("vulnerability").setAutoWidth(true);
        grid.addComponentColumn(f -> ImageBadges.badge(f.severity(), "slipway-sev-" + f.severity(), f.severity()))
                .setHeader("Severity").setSortable(true).setSortProperty("severity").setAutoWidth(true);
        grid.addColumn(ServiceImages.FindingView::packageName).setHeader("Package").setSortable(true)
                .setSortProperty("package").setAutoWidth(true);
        grid.addColumn(f -> f.installedVersion() == null ? "" : f.installedVersion()).setHeader("Installed").setAutoWidth(true);
        grid.addColumn(f -> f.fixedVersion() == null ? "no fix" : f.fixedVersion()).setHeader("Fixed in").setAutoWidth(true);
        grid.addColumn(ServiceImages.FindingView::source).setHeader("Source").setAutoWidth(true);
        grid.addComponentColumn(f -> {
            if (f.waiver() != null) {
                return ImageBadges.badge("waived", "slipway-waived", "Waiver " + f.waiver());
            }
            if (!security) {
                return new Span();
            }
            var waive = new Button("Waive…", click -> new WaiverDialog(waivers, scans.maxWaiverDays(), clock, team, name,
                    digest, f, () -> refresh(grid)).open());
            waive.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            return waive;
        }).setHeader("Waiver").setAutoWidth(true);
        grid.addColumn(f -> f.title() == null ? "" : f.title()).setHeader("Title").setFlexGrow(1);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.setId("findings-grid");
        grid.setItems(query -> {
                    ServiceImages.FindingOrder order = ServiceImages.FindingOrder.SEVERITY;
                    boolean ascending = true;
                    if (!query.getSortOrders().isEmpty()) {
                        var sort = query.getSortOrders().getFirst();
                        order = switch (sort.getSorted()) {
                            case "vulnerability" -> ServiceImages.FindingOrder.VULNERABILITY;
                            case "package" -> ServiceImages.FindingOrder.PACKAGE;
                            default -> ServiceImages.FindingOrder.SEVERITY;
                        };
                        ascending = sort.getDirection() == SortDirection.ASCENDING;
                    }
                    return images.image(team, name, digest, selectedSeverities(), fixable(), order, ascending,
                            query.getOffset(), Math.min(query.getLimit(), ServiceImages.MAX_PAGE)).findings().items().stream();
                },
                query -> images.image(team, name, digest, selectedSeverities(), fixable(), 0, 1).findings().total());
        var empty = new Div(new H3(image.severities() == null ? "Not scanned yet" : "No finding matches"),
                new Paragraph(image.severities() == null
                        ? "Upload a Trivy report from CI (POST /api/v1/scans) or wait for Defender for Cloud's daily scan."
                        : "Try other severities, or show findings without a fix too."));
        empty.addClassName("slipway-empty");
        empty.setId("findings-empty");
        grid.setEmptyStateComponent(empty);
        grid.setWidthFull();
        grid.setHeight("28rem"); // the page scrolls; the grid keeps a useful height of its own

        severities.setItems(Finding.Severity.values());
        severities.setItemLabelGenerator(Finding.Severity::id);
        severities.setId("severity-filter");
        severities.addValueChangeListener(e -> refresh(grid));
        fixableOnly.setId("fixable-filter");
        fixableOnly.addValueChangeListener(e -> refresh(grid));
        var filters = new HorizontalLayout(severities, fixableOnly);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        add(new RouterLink("← " + team + "/" + name + " images", ServiceImagesView.class,
                ServiceImagesView.parameters(team, name)), heading, facts, new H3("Findings"), filters, grid,
                new H3("Waivers"), waiverGrid(detail.waivers(), security));
        grid.sort(List.of(new GridSortOrder<>(grid.getColumns().get(1), SortDirection.ASCENDING)));
    }

    private Grid<Waivers.Waiver> waiverGrid(List<Waivers.Waiver> concerning, boolean security) {
        var grid = new Grid<Waivers.Waiver>(Waivers.Waiver.class, false);
        grid.addColumn(Waivers.Waiver::vulnerabilityId).setHeader("Vulnerability").setAutoWidth(true);
        grid.addColumn(w -> w.digest() == null ? "every image of the service" : "this image").setHeader("For").setAutoWidth(true);
        grid.addColumn(w -> WHEN.format(w.until())).setHeader("Until").setAutoWidth(true);
        grid.addColumn(w -> w.revokedAt() != null ? "revoked by " + w.revokedBy()
                : w.activeAt(clock.instant()) ? "active" : "expired").setHeader("State").setAutoWidth(true);
        grid.addColumn(Waivers.Waiver::grantedBy).setHeader("By").setAutoWidth(true);
        grid.addColumn(Waivers.Waiver::reason).setHeader("Reason").setFlexGrow(1);
        if (security) {
            grid.addComponentColumn(w -> {
                if (!w.activeAt(clock.instant())) {
                    return new Span();
                }
                var revoke = new Button("Revoke", click -> {
                    try {
                        waivers.revoke(w.id());
                    } catch (ConflictException already) {
                        // revoked meanwhile by someone else: the page shows it
                    }
                    getUI().ifPresent(ui -> ui.getPage().reload());
                });
                revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
                return revoke;
            }).setAutoWidth(true);
        }
        grid.setItems(concerning);
        grid.setAllRowsVisible(true);
        grid.setId("waivers-grid");
        var empty = new Div(new Span("No waiver concerns this image."));
        empty.addClassName("slipway-empty");
        grid.setEmptyStateComponent(empty);
        return grid;
    }

    private void refresh(Grid<ServiceImages.FindingView> grid) {
        grid.getDataProvider().refreshAll();
    }

    private Set<Finding.Severity> selectedSeverities() {
        return severities.getValue().isEmpty() ? Set.of() : EnumSet.copyOf(severities.getValue());
    }

    private Boolean fixable() {
        return fixableOnly.getValue() ? Boolean.TRUE : null;
    }

    private static Div fact(String label, com.vaadin.flow.component.Component value) {
        var term = new Span(label);
        term.addClassName("slipway-fact-label");
        value.getElement().getClassList().add("slipway-fact-value");
        return new Div(term, value);
    }
}
