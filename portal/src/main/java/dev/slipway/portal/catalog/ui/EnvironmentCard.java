package dev.slipway.portal.catalog.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import dev.slipway.portal.cluster.EnvironmentStatus;
import dev.slipway.portal.cluster.StatusHistory;
import dev.slipway.portal.environment.Environment;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/** One environment of a service: what runs there and how it is doing, redrawn as the cluster changes. */
final class EnvironmentCard extends Div {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Environment environment;
    private final String cluster;
    private EnvironmentStatus.State shown;
    private List<StatusHistory.Transition> transitions = List.of();

    /** @param cluster the environment's cluster as users are told of it ("nonprod (sandbox cluster)") */
    EnvironmentCard(Environment environment, String cluster) {
        this.environment = environment;
        this.cluster = cluster;
        addClassName("slipway-env-card");
        setId("env-" + environment.name());
    }

    /** Whether the state differs from the one shown (the history is read again only then). */
    boolean stateChanged(EnvironmentStatus status) {
        return status.state() != shown;
    }

    /** @param stored the stored transitions, newest first; null: those shown before */
    void show(EnvironmentStatus status, List<StatusHistory.Transition> stored) {
        shown = status.state();
        if (stored != null) {
            transitions = stored;
        }
        removeAll();
        var state = new Span(status.state().id());
        state.addClassNames("slipway-badge", "slipway-state-" + status.state().id());
        state.setId("env-" + environment.name() + "-state");
        var title = new H4(environment.name());
        add(new Div(title, state));
        add(line("Cluster", cluster));
        add(line("Git asks for", git(status.git())));
        var running = new Div();
        running.addClassName("slipway-env-running");
        if (status.running().isEmpty()) {
            running.add(new Span("nothing runs"));
        }
        status.running().forEach((digest, containers) -> {
            var one = DigestText.of(digest);
            // the tag is Git's when the digest is: a pod's imageID names only the digest
            boolean asked = status.git() != null && digest.equals(status.git().digest()) && status.git().tag() != null;
            one.add(new Span((asked ? " (" + status.git().tag() + ")" : "") + " × " + containers));
            running.add(one);
        });
        add(line("Running", running));
        if ("CronJob".equals(status.workload())) {
            add(line("Runs", status.updated() == 1 ? "1 running now" : status.updated() + " running now"));
        } else if (status.state() != EnvironmentStatus.State.UNKNOWN && status.state() != EnvironmentStatus.State.NOT_DEPLOYED) {
            add(line("Replicas", status.ready() + "/" + status.desired() + " ready, " + status.updated() + " updated"));
        }
        if (status.reason() != null) {
            var failing = line(status.reason(), status.message() == null ? "" : status.message());
            failing.addClassName("slipway-env-failing");
            add(failing);
        }
        if (status.argo() != null) {
            var argo = line("Argo CD", status.argo().sync() + ", " + status.argo().health()
                    + (status.argo().revision() == null ? "" : " at " + status.argo().revision().substring(0,
                    Math.min(12, status.argo().revision().length()))));
            argo.setId("env-" + environment.name() + "-argo");
            add(argo);
        }
        add(line("Since", WHEN.format(status.since())));
        // the newest stored transition is the current state once written (it is written just after)
        List<StatusHistory.Transition> before = transitions.stream()
                .dropWhile(t -> t.state().equals(status.state().id())).limit(3).toList();
        if (!before.isEmpty()) {
            add(line("Before", before.stream().map(t -> t.state() + " at " + WHEN.format(t.at()))
                    .collect(Collectors.joining("; "))));
        }
    }

    /** The tag and digest Git names, each copyable; "no image yet" before the first. */
    private static Component git(EnvironmentStatus.GitImage image) {
        if (image == null) {
            return new Span("no image yet");
        }
        var asked = new Div();
        asked.addClassName("slipway-env-git");
        if (image.tag() != null) {
            asked.add(DigestText.of(image.tag(), image.tag(), "Tag copied"));
        }
        if (image.digest() != null) {
            asked.add(DigestText.of(image.digest()));
        }
        return asked;
    }

    private static Div line(String label, String value) {
        return line(label, new Span(value));
    }

    private static Div line(String label, Component value) {
        var term = new Span(label);
        term.addClassName("slipway-fact-label");
        value.addClassName("slipway-fact-value");
        return new Div(term, value);
    }
}
