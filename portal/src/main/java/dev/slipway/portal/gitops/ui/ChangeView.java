package dev.slipway.portal.gitops.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.portal.gitops.ChangeBroadcaster;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.ChangeState;
import dev.slipway.portal.gitops.Changes;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** One change on its way into the GitOps repository, updated live as the worker moves it. */
@Route("changes/:id")
@PageTitle("Change · Slipway")
@PermitAll
public class ChangeView extends VerticalLayout implements BeforeEnterObserver {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Changes changes;
    private final ChangeBroadcaster broadcaster;
    private final Div body = new Div();
    private UUID changeId;
    private Runnable unregister;

    public ChangeView(Changes changes, ChangeBroadcaster broadcaster) {
        this.changes = changes;
        this.broadcaster = broadcaster;
        addClassName("slipway-page");
        add(body);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            changeId = UUID.fromString(event.getRouteParameters().get("id").orElse(""));
            show(changes.change(changeId));
        } catch (IllegalArgumentException | NotFoundException missing) {
            changeId = null;
            body.removeAll();
            var state = new Div(new H2("Change not found"), new Paragraph("There is no change with this id."));
            state.addClassName("slipway-empty");
            body.add(state);
        }
    }

    private void show(ChangeRecord change) {
        body.removeAll();
        var title = new H2(change.title());
        var state = new Span(label(change.state()));
        state.setId("change-state");
        state.addClassName("slipway-badge");
        state.getElement().setAttribute("data-state", change.state().id());
        body.add(new Div(title, state));
        body.add(new Paragraph("Requested by " + change.requestedBy() + " at "
                + WHEN.format(change.requestedAt().atZone(ZoneId.systemDefault())) + "."));
        if (change.commitSha() != null) {
            var commit = new Span(change.commitSha());
            commit.setId("change-commit");
            body.add(new Div(new Span("Commit "), commit));
        }
        if (change.pullRequestUrl() != null) {
            body.add(new Anchor(change.pullRequestUrl(), "Pull request " + change.pullRequestId()));
        }
        if (change.state() == ChangeState.PENDING && change.lastError() != null) {
            var waiting = new Paragraph("Waiting to be retried (attempt " + change.attempts() + "): " + change.lastError());
            waiting.setId("change-error");
            body.add(waiting);
        } else if (change.lastError() != null) {
            var failed = new Paragraph(change.lastError());
            failed.setId("change-error");
            body.add(failed);
        }
    }

    private static String label(ChangeState state) {
        return switch (state) {
            case PENDING -> "Pending";
            case COMMITTED -> "Committed";
            case PULL_REQUEST_OPEN -> "Pull request open";
            case MERGED -> "Merged";
            case CONFLICTING -> "Conflicting";
            case FAILED -> "Failed";
        };
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        UI ui = attach.getUI();
        unregister = broadcaster.register(event -> {
            if (changeId != null && broadcaster.isFor(event, changeId)) {
                // the worker's thread has no user: read as the system, show in the UI's session
                ChangeRecord latest = changes.find(event.changeId()).orElse(null);
                if (latest != null) {
                    ui.access(() -> show(latest));
                }
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (unregister != null) {
            unregister.run();
        }
    }
}
