package dev.slipway.portal.catalog.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.QuotaTier;
import dev.slipway.portal.catalog.Team;
import dev.slipway.portal.catalog.TeamQuota;
import jakarta.annotation.security.RolesAllowed;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Platform admins create teams, link them to their Entra ID group and set their quotas. */
@Route("admin/teams")
@PageTitle("Teams · Slipway")
@Menu(title = "Teams (admin)", order = 90, icon = "vaadin:users")
@RolesAllowed("PLATFORM_ADMIN")
public class TeamsView extends VerticalLayout {

    private final Catalog catalog;
    private final Grid<Team> grid = new Grid<>(Team.class, false);

    public TeamsView(Catalog catalog) {
        this.catalog = catalog;
        addClassName("slipway-page");
        setSizeFull();

        var create = new Button("New team", VaadinIcon.PLUS.create(), click -> new TeamDialog(null).open());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("new-team");

        grid.addColumn(Team::name).setHeader("Team").setAutoWidth(true);
        grid.addColumn(Team::displayName).setHeader("Display name").setAutoWidth(true);
        grid.addColumn(t -> t.entraGroupId() == null ? "not linked" : t.entraGroupId().toString())
                .setHeader("Entra ID group").setAutoWidth(true);
        grid.addColumn(t -> summary(t.quotas().get(QuotaTier.NONPROD))).setHeader("Non-prod quota").setAutoWidth(true);
        grid.addColumn(t -> summary(t.quotas().get(QuotaTier.PROD))).setHeader("Prod quota").setAutoWidth(true);
        grid.addItemClickListener(click -> new TeamDialog(click.getItem()).open());
        grid.setId("teams-grid");
        grid.setSizeFull();
        refresh();
        add(new HorizontalLayout(create), grid);
    }

    private void refresh() {
        grid.setItems(catalog.teams());
    }

    private static String summary(TeamQuota quota) {
        if (quota == null) {
            return "none";
        }
        return "%d–%dm CPU, %d–%d MiB, %d pods".formatted(quota.requestsCpuMillis(), quota.limitsCpuMillis(),
                quota.requestsMemoryMib(), quota.limitsMemoryMib(), quota.maxPods());
    }

    /** Creating (team == null) or changing a team; rule violations appear beside their field. */
    private final class TeamDialog extends Dialog {

        private final TextField name = new TextField("Name");
        private final TextField displayName = new TextField("Display name");
        private final TextField entraGroupId = new TextField("Entra ID group object id");
        private final Map<QuotaTier, QuotaFields> quotas = new EnumMap<>(QuotaTier.class);
        private final Team team;

        TeamDialog(Team team) {
            this.team = team;
            setHeaderTitle(team == null ? "New team" : "Team " + team.name());
            name.setHelperText("Lower case letters, digits and '-'; part of namespace names, cannot change later");
            name.setRequired(true);
            name.setId("team-name");
            displayName.setRequired(true);
            displayName.setId("team-display-name");
            entraGroupId.setHelperText("Members of this group are the team's developers");
            entraGroupId.setId("team-entra-group");
            var form = new Div(name, displayName, entraGroupId);
            form.addClassName("slipway-form-grid");
            entraGroupId.addClassName("slipway-form-wide");
            add(form);
            for (QuotaTier tier : QuotaTier.values()) {
                var fields = new QuotaFields(tier);
                quotas.put(tier, fields);
                add(new H3(tier == QuotaTier.PROD ? "Prod quota" : "Non-prod quota"), fields.layout);
            }
            if (team == null) {
                quotas.get(QuotaTier.NONPROD).show(TeamQuota.DEFAULT_NONPROD);
                quotas.get(QuotaTier.PROD).show(TeamQuota.DEFAULT_PROD);
            } else {
                name.setValue(team.name());
                name.setReadOnly(true);
                displayName.setValue(team.displayName());
                entraGroupId.setValue(team.entraGroupId() == null ? "" : team.entraGroupId().toString());
                team.quotas().forEach((tier, quota) -> quotas.get(tier).show(quota));
            }
            var save = new Button(team == null ? "Create team" : "Save", click -> save());
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            save.setId("save-team");
            getFooter().add(new Button("Cancel", click -> close()), save);
            setWidth("44rem");
        }

        private void save() {
            Map<String, HasValidation> fields = new HashMap<>();
            fields.put("name", name);
            fields.put("displayName", displayName);
            fields.put("entraGroupId", entraGroupId);
            quotas.forEach((tier, q) -> fields.put("quotas." + tier.id(), q.requestsCpu));
            fields.values().forEach(field -> field.setInvalid(false));
            try {
                UUID group = parseGroup();
                var values = new EnumMap<QuotaTier, TeamQuota>(QuotaTier.class);
                quotas.forEach((tier, q) -> values.put(tier, q.value(tier)));
                String saved = team == null
                        ? catalog.createTeam(name.getValue().trim(), displayName.getValue(), group, values).name()
                        : catalog.updateTeam(team.name(), displayName.getValue(), group, values).name();
                close();
                refresh();
                Notification.show("Team " + saved + " saved", 3000, Notification.Position.BOTTOM_START)
                        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            } catch (InvalidInputException invalid) {
                invalid.errors().forEach(error -> {
                    HasValidation field = fields.getOrDefault(error.field(), name);
                    field.setErrorMessage(error.message());
                    field.setInvalid(true);
                });
            } catch (ConflictException conflict) {
                name.setErrorMessage(conflict.getMessage());
                name.setInvalid(true);
            }
        }

        private UUID parseGroup() {
            String text = entraGroupId.getValue().trim();
            if (text.isEmpty()) {
                return null;
            }
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.of("entraGroupId", "must be the group's object id (a UUID)");
            }
        }
    }

    private static final class QuotaFields {
        final IntegerField requestsCpu = field("CPU requests (millicores)");
        final IntegerField limitsCpu = field("CPU limits (millicores)");
        final IntegerField requestsMemory = field("Memory requests (MiB)");
        final IntegerField limitsMemory = field("Memory limits (MiB)");
        final IntegerField pods = field("Pods");
        final Component layout;

        QuotaFields(QuotaTier tier) {
            var form = new Div(requestsCpu, limitsCpu, requestsMemory, limitsMemory, pods);
            form.addClassName("slipway-form-grid");
            form.setId("quota-" + tier.id());
            layout = form;
        }

        private static IntegerField field(String label) {
            var field = new IntegerField(label);
            field.setMin(1);
            field.setRequiredIndicatorVisible(true);
            return field;
        }

        void show(TeamQuota quota) {
            requestsCpu.setValue(quota.requestsCpuMillis());
            limitsCpu.setValue(quota.limitsCpuMillis());
            requestsMemory.setValue(quota.requestsMemoryMib());
            limitsMemory.setValue(quota.limitsMemoryMib());
            pods.setValue(quota.maxPods());
        }

        TeamQuota value(QuotaTier tier) {
            for (IntegerField field : new IntegerField[] {requestsCpu, limitsCpu, requestsMemory, limitsMemory, pods}) {
                if (field.getValue() == null) {
                    throw InvalidInputException.of("quotas." + tier.id(), field.getLabel() + " is required");
                }
            }
            return new TeamQuota(requestsCpu.getValue(), requestsMemory.getValue(), limitsCpu.getValue(),
                    limitsMemory.getValue(), pods.getValue());
        }
    }
}
