package dev.slipway.portal.registry.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinRequest;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.catalog.ui.DigestText;
import dev.slipway.portal.catalog.ui.ServicePage;
import dev.slipway.portal.catalog.ui.ServiceTabs;
import dev.slipway.portal.catalog.ui.ServicesView;
import dev.slipway.portal.registry.ServiceImages;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.templates.PlatformSettings;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.util.Map;

/** A service's Images tab: its images newest first, what their scans found, where each runs, and the trend. */
@Route("services/:team/:name/images")
@PermitAll
public class ServiceImagesView extends ServicePage {

    private final Catalog catalog;
    private final ServiceImages images;
    private final PlatformSettings platform;
    private final Clock clock;

    public ServiceImagesView(Catalog catalog, ServiceImages images, CurrentUser currentUser, PlatformSettings platform,
                             Clock clock) {
        super(currentUser, "Service");
        this.catalog = catalog;
        this.images = images;
        this.platform = platform;
        this.clock = clock;
        setSizeFull();
    }

    static RouteParameters parameters(String team, String name) {
        return new RouteParameters(Map.of("team", team, "name", name));
    }

    @Override
    protected String show(String team, String name, RouteParameters parameters) {
        Service service = catalog.service(team, name);
        show(service);
        return service.team() + "/" + service.name() + " images";
    }

    private void show(Service service) {
        var heading = new H2(service.name());
        heading.setId("service-name");
        var grid = new Grid<ServiceImages.ImageSummary>(ServiceImages.ImageSummary.class, false);
        grid.addComponentColumn(image -> new RouterLink(image.tags().isEmpty() ? "(untagged)" : String.join(", ", image.tags()),
                        ImageView.class, ImageView.parameters(service.team(), service.name(), image.digest())))
                .setHeader("Tags").setAutoWidth(true).setFlexGrow(1);
        grid.addComponentColumn(image -> DigestText.of(image.digest())).setHeader("Digest").setAutoWidth(true);
        grid.addColumn(image -> ImageBadges.ago(image.pushedAt(), clock.instant()) + (image.deleted() ? " · deleted" : ""))
                .setHeader("Pushed").setAutoWidth(true);
        grid.addComponentColumn(image -> ImageBadges.severities(image.severities())).setHeader("Findings").setAutoWidth(true);
        grid.addColumn(image -> ImageBadges.scanAges(image.scans())).setHeader("Scanned").setAutoWidth(true);
        grid.addColumn(image -> image.environments().isEmpty() ? "—" : String.join(", ", image.environments()))
                .setHeader("Runs in").setAutoWidth(true);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setId("images-grid");
        grid.setItems(query -> images.ofService(service.team(), service.name(), query.getOffset(),
                        Math.min(query.getLimit(), ServiceImages.MAX_PAGE)).items().stream(),
                query -> images.ofService(service.team(), service.name(), 0, 1).total());
        grid.setEmptyStateComponent(emptyState(service));
        grid.setSizeFull();

        var recent = images.ofService(service.team(), service.name(), 0, 12).items();
        add(new RouterLink("← All services", ServicesView.class), new Div(heading),
                new ServiceTabs(service.team(), service.name(), ServiceTabs.Page.IMAGES));
        if (recent.stream().anyMatch(image -> image.severities() != null)) {
            add(new H3("Findings over the recent images"), FindingsTrend.of(recent));
        }
        add(grid);
        setFlexGrow(1, grid);
    }

    /** What to do for a service's first image: push it, and let ACR tell Slipway. */
    private Div emptyState(Service service) {
        String repository = platform.registry() + "/" + service.team() + "/" + service.name();
        var state = new Div();
        state.addClassName("slipway-empty");
        state.setId("images-empty");
        var steps = new Pre("docker push " + repository + ":1.0.0\n\n"
                + "# ACR tells Slipway through a webhook (once per registry):\n"
                + "az acr webhook create --registry " + platform.registry().split("\\.")[0] + " --name slipway \\\n"
                + "  --actions push delete --uri " + baseUrl() + "/api/v1/webhooks/acr \\\n"
                + "  --headers X-Slipway-Webhook-Secret=<slipway.registry.webhook-secret>");
        steps.addClassName("slipway-commands");
        state.add(new H2("No images yet"), new Paragraph("Images pushed to " + repository + " appear here, with what"
                + " their scans found. dev deploys each new one by itself."), steps, new Span(
                "In local mode, send the push event with curl: the README's \"Images\" section shows how."));
        return state;
    }

    private static String baseUrl() {
        if (VaadinRequest.getCurrent() instanceof com.vaadin.flow.server.VaadinServletRequest request) {
            var http = request.getHttpServletRequest();
            String scheme = http.getScheme();
            int port = http.getServerPort();
            boolean standard = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + http.getServerName() + (standard ? "" : ":" + port) + http.getContextPath();
        }
        return "https://<slipway>";
    }
}
