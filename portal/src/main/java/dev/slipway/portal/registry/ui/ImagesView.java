package dev.slipway.portal.registry.ui;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.slipway.portal.catalog.ui.DigestText;
import dev.slipway.portal.registry.ServiceImages;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.NoRolePanel;
import dev.slipway.portal.security.Role;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;

/**
 * Every service's images, newest first. Platform admins can switch to the images no service owns:
 * repositories of the registry that no service claims (yet).
 */
@Route("images")
@PageTitle("Images · Slipway")
@Menu(title = "Images", order = 30, icon = "vaadin:package")
@PermitAll
public class ImagesView extends VerticalLayout {

    private final ServiceImages images;
    private final Clock clock;
    private final Grid<ServiceImages.ListedImage> grid = new Grid<>(ServiceImages.ListedImage.class, false);
    private final Checkbox unowned = new Checkbox("Images no service owns");

    public ImagesView(ServiceImages images, CurrentUser currentUser, Clock clock) {
        this.images = images;
        this.clock = clock;
        addClassName("slipway-page");
        setSizeFull();
        if (!currentUser.get().mayRead()) {
            add(new NoRolePanel(currentUser.get()));
            return;
        }
        grid.addComponentColumn(listed -> listed.service() == null
                        ? ImageBadges.badge("unowned", "slipway-sev-none", "No service has this repository")
                        : new RouterLink(listed.team() + "/" + listed.service(), ServiceImagesView.class,
                                ServiceImagesView.parameters(listed.team(), listed.service())))
                .setHeader("Service").setAutoWidth(true);
        grid.addComponentColumn(listed -> listed.service() == null
                        ? new Span(listed.image().tags().isEmpty() ? "(untagged)" : String.join(", ", listed.image().tags()))
                        : new RouterLink(listed.image().tags().isEmpty() ? "(untagged)" : String.join(", ", listed.image().tags()),
                                ImageView.class, ImageView.parameters(listed.team(), listed.service(), listed.image().digest())))
                .setHeader("Tags").setFlexGrow(1);
        grid.addColumn(listed -> listed.service() == null ? listed.image().reference()
                .substring(0, listed.image().reference().indexOf('@')) : "").setHeader("Repository").setAutoWidth(true)
                .setKey("repository").setVisible(false);
        grid.addComponentColumn(listed -> DigestText.of(listed.image().digest())).setHeader("Digest").setAutoWidth(true);
        grid.addColumn(listed -> ImageBadges.ago(listed.image().pushedAt(), clock.instant())
                + (listed.image().deleted() ? " · deleted" : "")).setHeader("Pushed").setAutoWidth(true);
        grid.addComponentColumn(listed -> ImageBadges.severities(listed.image().severities())).setHeader("Findings")
                .setAutoWidth(true);
        grid.addColumn(listed -> ImageBadges.scanAges(listed.image().scans())).setHeader("Scanned").setAutoWidth(true);
        grid.addColumn(listed -> listed.image().environments().isEmpty() ? "—"
                : String.join(", ", listed.image().environments())).setHeader("Runs in").setAutoWidth(true);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setId("all-images-grid");
        grid.setSizeFull();
        refresh();

        if (currentUser.get().has(Role.PLATFORM_ADMIN)) {
            unowned.setId("unowned-filter");
            unowned.setHelperText("Repositories of the registry that no service has: they belong to a service created"
                    + " for them later");
            unowned.addValueChangeListener(e -> {
                grid.getColumnByKey("repository").setVisible(e.getValue());
                refresh();
            });
            add(unowned);
        }
        add(grid);
        setFlexGrow(1, grid);
    }

    private void refresh() {
        boolean onlyUnowned = unowned.getValue();
        // not counted (see ServiceImages.all): the grid grows as it is scrolled
        grid.setItems(query -> images.all(onlyUnowned, query.getOffset(), Math.min(query.getLimit(), ServiceImages.MAX_PAGE))
                .stream());
        var empty = new Div();
        empty.addClassName("slipway-empty");
        empty.setId("all-images-empty");
        empty.add(onlyUnowned ? new H2("Every image belongs to a service") : new H2("No images yet"),
                new Paragraph(onlyUnowned ? "Images of repositories no service has would be listed here."
                        : "Images appear once they are pushed to the registry and ACR's webhook tells Slipway"
                                + " (POST /api/v1/webhooks/acr); a service's Images tab shows how."));
        grid.setEmptyStateComponent(empty);
    }
}
