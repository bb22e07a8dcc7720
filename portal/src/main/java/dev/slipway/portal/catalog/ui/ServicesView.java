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
import dev.slipway.portal.cluster.EnvironmentStatus;
import dev.slipway.portal.cluster.StatusModel;
import dev.slipway.portal.environment.Environments;
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
    private final StatusModel statuses;
    private final Environments environments;
    // the rows fetched so far, by team/name: a status change redraws its row, if the list has it
    private final java.util.Map<String, Service> shown = new java.util.concurrent.ConcurrentHashMap<>();
    private Runnable unlisten = () -> { };
    private final ComboBox<Team> team = new ComboBox<>("Team");
    private final TextField name = new TextField("Name");
    private final Grid<Service> grid = new Grid<>(Service.class, false);

    public ServicesView(Catalog catalog, CurrentUser currentUser, StatusModel statuses, Environments environments) {
        this.catalog = catalog;
        this.statuses = statuses;
        this.environments = environments;
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
        grid.addComponentColumn(this::statusBadges).setHeader("Status").setAutoWidth(true);
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

    /** One badge per environment, in their order. */
    private com.vaadin.flow.component.Component statusBadges(Service service) {
        var badges = new Div();
        badges.addClassName("slipway-env-badges");
        for (var environment : environments.all()) {
            var status = statuses.status(new EnvironmentStatus.Key(service.team(), service.name(), environment.name()));
            var badge = new com.vaadin.flow.component.html.Span(environment.name() + " " + status.state().id());
            badge.addClassNames("slipway-badge", "slipway-state-" + status.state().id());
            badges.add(badge);
        }
        return badges;
    }

    @Override
    protected void onAttach(com.vaadin.flow.component.AttachEvent attach) {
        super.onAttach(attach);
        var ui = attach.getUI();
        unlisten = statuses.listen(status -> {
            Service service = shown.get(status.key().team() + "/" + status.key().service());
            if (service != null) {
                ui.access(() -> grid.getDataProvider().refreshItem(service));
            }
        });
    }

    @Override
    protected void onDetach(com.vaadin.flow.component.DetachEvent detach) {
        unlisten.run();
        super.onDetach(detach);
    }

    private ServiceFilter filter() {
        return new ServiceFilter(team.getValue() == null ? null : team.getValue().name(), name.getValue());
    }

    private void refresh() {
        ServiceFilter filter = filter();
        shown.clear();
        grid.setItems(new com.vaadin.flow.data.provider.CallbackDataProvider<Service, Void>(
                query -> catalog.services(filter, query.getOffset(), Math.min(query.getLimit(), Catalog.MAX_PAGE_SIZE))
                        .stream().peek(s -> shown.put(s.team() + "/" + s.name(), s)),
                query -> catalog.countServices(filter), Service::id));
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
