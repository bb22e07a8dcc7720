package dev.slipway.portal.promotion;

import dev.slipway.gitops.FileWrite;
import dev.slipway.portal.audit.AuditLog;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.Changes;
import dev.slipway.portal.registry.EnvironmentPins;
import dev.slipway.portal.registry.ImageReference;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The moves of a promotion, shared by the people who decide (the API and the UI) and the worker
 * that follows it: each move is a stored transition, an audit entry, maybe a notification, and an
 * event for the open views, all in the caller's transaction. Going on past the gate writes Git:
 * a pull request where the environment needs approval, a commit otherwise.
 */
@Component
class PromotionFlow {

    private final PromotionRecords records;
    private final PromotionGate gate;
    private final Changes changes;
    private final EnvironmentPins pins;
    private final Catalog catalog;
    private final Environments environments;
    private final AuditLog audit;
    private final Notifications notifications;
    private final ApplicationEventPublisher events;
    private final PromotionSignal signal;
    private final PromotionProperties properties;
    private final Clock clock;

    PromotionFlow(PromotionRecords records, PromotionGate gate, Changes changes, EnvironmentPins pins, Catalog catalog,
                  Environments environments, AuditLog audit, Notifications notifications,
                  ApplicationEventPublisher events, PromotionSignal signal, PromotionProperties properties, Clock clock) {
        this.records = records;
        this.gate = gate;
        this.changes = changes;
        this.pins = pins;
        this.catalog = catalog;
        this.environments = environments;
        this.audit = audit;
        this.notifications = notifications;
        this.events = events;
        this.signal = signal;
        this.properties = properties;
        this.clock = clock;
    }

    PromotionGate gate() {
        return gate;
    }

    Instant now() {
        return clock.instant();
    }

    Environment environmentOf(PromotionRecords.Row row) {
        return environments.find(row.environment()).orElseThrow(() -> new IllegalStateException(
                "promotion " + row.id() + " is to " + row.environment() + ", which is no longer configured"));
    }

    Service serviceOf(PromotionRecords.Row row) {
        return catalog.serviceForSlipway(row.team(), row.service()).orElseThrow(() -> new IllegalStateException(
                "promotion " + row.id() + " is of " + row.team() + "/" + row.service() + ", which no longer exists"));
    }

    /** An audit entry for what does not move the promotion (one approval of several). */
    @Transactional(propagation = Propagation.MANDATORY)
    void audit(PromotionRecords.Row row, String actor, String action, String comment) {
        var details = new LinkedHashMap<String, String>();
        details.put("team", row.team());
        details.put("service", row.service());
        details.put("environment", row.environment());
        details.put("digest", row.digest());
        if (comment != null && !comment.isBlank()) {
            details.put("comment", comment.strip());
        }
        audit.record(actor, action, "promotion/" + row.id(), details);
    }

    /** Moves the promotion, with its transition, audit entry, notification and event. */
    @Transactional(propagation = Propagation.MANDATORY)
    PromotionRecords.Row move(PromotionRecords.Row row, PromotionState state, String actor, String reason) {
        Instant at = now();
        records.move(row, state, actor, reason, at);
        var details = new LinkedHashMap<String, String>();
        details.put("team", row.team());
        details.put("service", row.service());
        details.put("environment", row.environment());
        details.put("digest", row.digest());
        if (row.tag() != null) {
            details.put("tag", row.tag());
        }
        if (reason != null) {
            details.put("reason", reason);
        }
        audit.record(actor, "promotion." + state.id(), "promotion/" + row.id(), details);
        notifications.announce(row, state, actor, reason);
        // published once the move is committed: views showing the promotion or its service redraw
        var changed = new PromotionEvents.Changed(row.id(), row.team(), row.service(), row.environment(), state);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                events.publishEvent(changed);
                signal.wake();
            }
        });
        return records.find(row.id()).orElseThrow();
    }

    /**
     * Evaluates the gate and goes on as far as it lets the promotion: blocked with every reason, or
     * the Git write (a pull request awaiting approval, or a commit), or, with its approvals complete,
     * the merge.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    PromotionRecords.Row advance(PromotionRecords.Row row, String actor) {
        Service service = serviceOf(row);
        Environment environment = environmentOf(row);
        PromotionGate.Verdict verdict = gate.evaluate(service, environment, row.digest(), row.rollback(), row.id());
        if (!verdict.passes() && row.state() == PromotionState.BLOCKED && unchanged(row, verdict)) {
            return row; // evaluated again every few seconds while blocked: nothing to write
        }
        records.setReasons(row.id(), verdict.reasons(), verdict.summary());
        if (!verdict.passes()) {
            String summary = verdict.reasons().stream().map(Promotion.Reason::rule).distinct()
                    .collect(Collectors.joining(", "));
            if (row.state() == PromotionState.BLOCKED) {
                return records.find(row.id()).orElseThrow(); // still blocked: the reasons were updated
            }
            return move(row, PromotionState.BLOCKED, actor, "the gate fails: " + summary);
        }
        if (!row.needsApproval()) {
            return commit(row, service, actor);
        }
        if (row.changeId() == null) {
            ChangeRecord change = changes.enqueuePullRequest(UUID.randomUUID(), service.id(), title(row),
                    description(row, verdict), row.requestedBy(), List.of(write(service, row)));
            records.setChange(row.id(), change.id());
            return move(row, PromotionState.AWAITING_APPROVAL, actor, row.requiredApprovals() == 1
                    ? "awaiting the approval of a QA engineer" : "awaiting the approvals of "
                    + row.requiredApprovals() + " QA engineers");
        }
        if (records.approvals(row.id()) >= row.requiredApprovals()) {
            return merging(row, actor);
        }
        return row.state() == PromotionState.AWAITING_APPROVAL ? row
                : move(row, PromotionState.AWAITING_APPROVAL, actor, "the gate passes again");
    }

    /** Whether the verdict says what the row holds already (when it was evaluated aside). */
    private static boolean unchanged(PromotionRecords.Row row, PromotionGate.Verdict verdict) {
        Promotion.Gate before = row.gate();
        Promotion.Gate now = verdict.summary();
        return before != null && row.reasons().equals(verdict.reasons()) && before.passes() == now.passes()
                && before.severities().equals(now.severities()) && before.waived() == now.waived()
                && java.util.Objects.equals(before.previousEnvironment(), now.previousEnvironment())
                && java.util.Objects.equals(before.previousState(), now.previousState());
    }

    /** The approvals are complete and the gate passes: approved, and the merge is due now. */
    private PromotionRecords.Row merging(PromotionRecords.Row row, String actor) {
        PromotionRecords.Row approved = row.state() == PromotionState.APPROVED ? row
                : move(row, PromotionState.APPROVED, actor, "approved by " + row.requiredApprovals() + " of "
                        + row.requiredApprovals() + " QA engineer(s)");
        records.mergeDue(row.id(), now());
        return move(approved, PromotionState.COMMITTING, "slipway", "merging the pull request");
    }

    private PromotionRecords.Row commit(PromotionRecords.Row row, Service service, String actor) {
        ChangeRecord change = changes.enqueueCommit(UUID.randomUUID(), service.id(), title(row), row.requestedBy(),
                List.of(write(service, row)));
        records.setChange(row.id(), change.id());
        pinned(row, service, change.id());
        return move(row, PromotionState.COMMITTING, actor, "committing to the branch");
    }

    /**
     * What the environment runs from now on as far as Slipway knows: its pin, and, for an
     * environment that follows pushes, whether it keeps following (not after a rollback).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void pinned(PromotionRecords.Row row, Service service, UUID changeId) {
        pins.pin(service, row.environment(), new ImageReference(row.registry(), row.repository(), row.digest()),
                row.tag(), row.requestedAt(), changeId, row.requestedBy());
        if (row.rollback()) {
            pins.pauseFollowing(service.id(), row.environment(), row.requestedBy(),
                    "rolled back to " + row.label() + " by promotion " + row.id(), now());
        } else {
            pins.resumeFollowing(service.id(), row.environment());
        }
    }

    private static FileWrite write(Service service, PromotionRecords.Row row) {
        return EnvironmentPins.valuesWrite(service, row.environment(), row.tag(), row.digest());
    }

    private static String title(PromotionRecords.Row row) {
        return (row.rollback() ? "Roll back " : "Promote ") + row.team() + "/" + row.service() + " "
                + row.label() + " to " + row.environment();
    }

    /** What reviewers read in the pull request: the image, who asked, the scans, the gate and the previous environment. */
    private String description(PromotionRecords.Row row, PromotionGate.Verdict verdict) {
        Promotion.Gate summary = verdict.summary();
        var text = new StringBuilder();
        text.append(row.rollback() ? "Rollback" : "Promotion").append(" of ").append(row.team()).append('/')
                .append(row.service()).append(" to ").append(row.environment()).append(", requested by ")
                .append(row.requestedBy()).append(" in Slipway.\n\n");
        text.append("- Image: `").append(row.image()).append("`\n");
        if (row.tag() != null) {
            text.append("- Tag: `").append(row.tag()).append("`\n");
        }
        text.append("- Scan: ").append(summary.severities().isEmpty() ? "no scan" : severities(summary.severities()));
        if (summary.waived() > 0) {
            text.append(" (").append(summary.waived()).append(" finding(s) waived)");
        }
        text.append('\n');
        text.append("- Gate: ").append(verdict.passes() ? "passes" : "fails").append(" (evaluated ")
                .append(summary.evaluatedAt()).append(")\n");
        if (summary.previousEnvironment() != null) {
            text.append("- ").append(summary.previousEnvironment()).append(": ").append(summary.previousState())
                    .append(row.rollback() ? " (a rollback: the image ran in " + row.environment() + " before)" : "")
                    .append('\n');
        }
        text.append("- Approvals needed: ").append(row.requiredApprovals()).append(" QA engineer(s), in Slipway\n\n");
        text.append("Decide it in Slipway: ").append(properties.link("/promotions/" + row.id())).append('\n');
        return text.toString();
    }

    private static String severities(Map<String, Integer> counts) {
        return List.of("critical", "high", "medium", "low", "unknown").stream()
                .map(s -> counts.getOrDefault(s, 0) + " " + s).collect(Collectors.joining(", "));
    }
}
