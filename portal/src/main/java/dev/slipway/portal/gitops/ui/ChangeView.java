package dev.slipway.portal.gitops.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.gitops.FileDiff;
import dev.slipway.portal.gitops.ChangeBroadcaster;
import dev.slipway.portal.gitops.ChangeFiles;
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
    private final ChangeFiles files;
    private final ChangeBroadcaster broadcaster;
    private final Div body = new Div();
    private UUID changeId;
    private Runnable unregister;
    private ChangeState shown;

    public ChangeView(Changes changes, ChangeFiles files, ChangeBroadcaster broadcaster) {
        this.changes = changes;
        this.files = files;
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
        shown = change.state();
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
            String url = files.commitUrl(change.commitSha());
            var commit = url == null ? new Span(change.commitSha()) : new Anchor(url, change.commitSha());
            commit.setId("change-commit");
            body.add(new Div(new Span("Commit "), commit));
        }
        // a local pull request's link is this page: name it without linking to itself
        if (change.pullRequestUrl() != null && !change.pullRequestUrl().equals("/changes/" + change.id())) {
            var link = new Anchor(change.pullRequestUrl(), "Pull request " + change.pullRequestId());
            link.setId("change-pull-request");
            body.add(link);
        } else if (change.pullRequestId() != null) {
            var name = new Paragraph("Pull request: branch " + change.pullRequestId() + " in the GitOps repository.");
            name.setId("change-pull-request");
            body.add(name);
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
        showFiles(files.of(change));
    }

    /** The files the change writes, as a diff against the branch. */
    private void showFiles(ChangeFiles.Diffs diffs) {
        var list = new Div();
        list.setId("change-files");
        list.add(new H3("Files"));
        if (diffs.unavailable() != null) {
            list.add(new Paragraph("The diff cannot be shown now: " + diffs.unavailable()));
        }
        for (FileDiff file : diffs.files()) {
            var kind = new Span(switch (file.kind()) {
                case ADDED -> "added";
                case MODIFIED -> "modified";
                case DELETED -> "deleted";
                case UNCHANGED -> "unchanged";
            });
            kind.addClassName("slipway-badge");
            var entry = new Div(new Div(new Span(file.path() + " "), kind));
            entry.addClassName("slipway-file");
            entry.getElement().setAttribute("data-path", file.path());
            if (!file.patch().isEmpty()) {
                entry.add(new Pre(file.patch()));
            }
            list.add(entry);
        }
        body.add(list);
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
        // a change that moved on between the page's first read and this registration would otherwise stay stale
        if (changeId != null) {
            changes.find(changeId).filter(latest -> latest.state() != shown).ifPresent(this::show);
        }
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (unregister != null) {
            unregister.run();
        }
    }
}
