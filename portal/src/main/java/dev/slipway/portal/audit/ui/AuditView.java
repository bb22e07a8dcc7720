package dev.slipway.portal.audit.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slipway.portal.audit.AuditEntry;
import dev.slipway.portal.audit.AuditLog;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/**
 * The audit log for platform admins: every entry newest first, loaded page by page, narrowed by
 * team, service, actor, action and day; each entry's details; and a check of the whole hash chain.
 */
@Route("admin/audit")
@PageTitle("Audit · Slipway")
@Menu(title = "Audit (admin)", order = 95, icon = "vaadin:records")
@RolesAllowed("PLATFORM_ADMIN")
public class AuditView extends VerticalLayout {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final AuditLog audit;
    private final TextField team = filter("Team", "audit-team");
    private final TextField service = filter("Service", "audit-service");
    private final TextField actor = filter("Actor", "audit-actor");
    private final TextField action = filter("Action (a prefix ends with .)", "audit-action");
    private final DatePicker from = new DatePicker("From (UTC)");
    private final DatePicker to = new DatePicker("To (UTC, inclusive)");
    private final Grid<AuditEntry> grid = new Grid<>(AuditEntry.class, false);
    private final Span verdict = new Span();

    public AuditView(AuditLog audit) {
        this.audit = audit;
        addClassName("slipway-page");
        setSizeFull();
        from.setId("audit-from");
        to.setId("audit-to");
        from.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
        to.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
        for (TextField field : new TextField[] {team, service, actor, action}) {
            field.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
        }

        grid.setId("audit-grid");
        grid.addColumn(AuditEntry::seq).setHeader("#").setAutoWidth(true);
        grid.addColumn(e -> WHEN.format(e.at())).setHeader("When").setAutoWidth(true);
        grid.addColumn(AuditEntry::actor).setHeader("Actor").setAutoWidth(true);
        grid.addColumn(AuditEntry::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(AuditEntry::subject).setHeader("Subject").setAutoWidth(true);
        grid.addColumn(e -> e.details().entrySet().stream().map(d -> d.getKey() + "=" + d.getValue())
                .collect(Collectors.joining(", "))).setHeader("Details").setFlexGrow(1);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.setItems(query -> audit.entries(filterNow(), query.getOffset(), Math.min(query.getLimit(), 500)).stream());
        grid.setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(entry -> {
            var details = new VerticalLayout();
            details.setPadding(false);
            entry.details().forEach((key, value) -> details.add(new Span(key + ": " + value)));
            details.add(new Span("hash " + entry.hash() + " (after " + entry.previousHash() + ")"));
            return details;
        }));
        grid.setEmptyStateText("No entry matches.");

        var verify = new Button("Verify chain", click -> {
            AuditLog.Verification result = audit.verify();
            verdict.setText(result.intact() ? "Intact: " + result.entries() + " entries, every hash as written."
                    : "Broken at entry " + result.firstBrokenSeq() + ": " + result.problem());
            verdict.getElement().setAttribute("theme", result.intact() ? "badge success" : "badge error");
        });
        verify.setId("audit-verify");
        verdict.setId("audit-verdict");

        var filters = new HorizontalLayout(team, service, actor, action, from, to);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);
        filters.setWrap(true);
        add(filters, new HorizontalLayout(verify, verdict), grid);
        setFlexGrow(1, grid);
    }

    private AuditLog.Filter filterNow() {
        Instant since = from.getValue() == null ? null : from.getValue().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant until = to.getValue() == null ? null : to.getValue().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return new AuditLog.Filter(text(team), text(service), text(actor), text(action), since, until);
    }

    private static String text(TextField field) {
        return field.getValue() == null || field.getValue().isBlank() ? null : field.getValue().strip();
    }

    private static TextField filter(String label, String id) {
        var field = new TextField(label);
        field.setId(id);
        field.setClearButtonVisible(true);
        field.setValueChangeMode(ValueChangeMode.ON_CHANGE);
        return field;
    }
}
