package dev.slipway.portal.catalog.ui;

import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.renderer.LocalDateTimeRenderer;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.catalog.ServiceFilter;
import dev.slipway.portal.catalog.Team;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.NoRolePanel;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;

/** Every service of every team, loaded page by page, narrowed by team and by part of the name. */
@Route("services")
@RouteAlias("")
@Menu(title = "Services", order = 10, icon = "vaadin:cubes")
@PageTitle("Services · Slipway")
@PermitAll
public class ServicesView extends VerticalLayout {

    private final Catalog catalog;
    private final ComboBox<Team> team = new ComboBox<>("Team");
    private final TextField name = new TextField("Name");
    private final Grid<Service> grid = new Grid<>(Service.class, false);

    public ServicesView(Catalog catalog, CurrentUser currentUser) {
        this.catalog = catalog;
        addClassName("slipway-page");
        setSizeFull();
        if (!currentUser.get().mayRead()) {
            add(new NoRolePanel(currentUser.get()));
            return;
        }

        team.setItems(catalog.teams());
        team.setItemLabelGenerator(t -> t.displayName() + " (" + t.name() + ")");
        team.setClearButtonVisible(true);
        team.setPlaceholder("All teams");
        team.setId("team-filter");
        if (!currentUser.get().teams().isEmpty()) {
            team.setHelperText("You are in " + String.join(", ", currentUser.get().teams().stream().sorted().toList()));
        }
        team.addValueChangeListener(e -> refresh());

        name.setPlaceholder("Part of the name");
        name.setClearButtonVisible(true);
        name.setPrefixComponent(VaadinIcon.SEARCH.create());
        name.setValueChangeMode(ValueChangeMode.LAZY);
        name.setId("name-filter");
        name.addValueChangeListener(e -> refresh());

        var filters = new HorizontalLayout(team, name);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        filters.setWidthFull();

        grid.addComponentColumn(s -> new RouterLink(s.name(), ServiceView.class,
                        new RouteParameters(ServiceView.parameters(s.team(), s.name()))))
                .setHeader("Service").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(Service::team).setHeader("Team").setAutoWidth(true);
        grid.addColumn(s -> s.templateId() + " " + s.templateVersion()).setHeader("Template").setAutoWidth(true);
        grid.addColumn(Service::createdBy).setHeader("Created by").setAutoWidth(true);
        grid.addColumn(new LocalDateTimeRenderer<>(s -> s.createdAt().atZone(ZoneId.systemDefault()).toLocalDateTime(),
                "yyyy-MM-dd HH:mm")).setHeader("Created").setAutoWidth(true);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setId("services-grid");
        grid.setEmptyStateComponent(emptyState());
        grid.setSizeFull();
        refresh();

        add(filters, grid);
        setFlexGrow(1, grid);
    }

    private ServiceFilter filter() {
        return new ServiceFilter(team.getValue() == null ? null : team.getValue().name(), name.getValue());
    }

    private void refresh() {
        ServiceFilter filter = filter();
        grid.setItems(
                query -> catalog.services(filter, query.getOffset(), Math.min(query.getLimit(), Catalog.MAX_PAGE_SIZE))
                        .stream(),
                query -> catalog.countServices(filter));
        grid.setEmptyStateComponent(emptyState());
    }

    private Div emptyState() {
        boolean filtered = team.getValue() != null || !name.getValue().isBlank();
        var state = new Div();
        state.addClassName("slipway-empty");
        state.setId("services-empty");
        if (filtered) {
            var clear = new Button("Clear filters", click -> {
                team.clear();
                name.clear();
            });
            clear.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            state.add(new H2("No service matches"), new Paragraph("Try another team or part of the name."), clear);
        } else {
            state.add(new H2("No services yet"), new Paragraph(new Text(
                    "Services that teams create from a template appear here, with their environments and status.")));
        }
        return state;
    }
}
