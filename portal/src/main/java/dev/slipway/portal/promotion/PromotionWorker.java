package dev.slipway.portal.promotion;

import dev.slipway.gitops.pullrequest.PullRequestException;
import dev.slipway.portal.cluster.EnvironmentStatus;
import dev.slipway.portal.cluster.StatusModel;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.ChangeState;
import dev.slipway.portal.gitops.Changes;
import dev.slipway.portal.gitops.PullRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes promotions on from where people left them, on a thread of its own and on every replica (each
 * promotion is moved under its row lock, so a move happens once): blocked ones are evaluated again
 * and go on when their reasons clear; approved ones have their pull request merged (retried with a
 * growing pause while Git or the provider cannot be reached, the approval kept); the Git write's
 * outcome moves them to deploying (a pull request merged outside Slipway too, closed outside
 * cancels); deploying ones become deployed when the clusters run the digest healthy, or fail on a
 * degraded rollout or at the deadline; undecided ones expire; replaced ones have their pull request
 * closed with a comment. The merges themselves are {@link PromotionMerges}.
 */
@Component
class PromotionWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PromotionWorker.class);
    private static final int BATCH = 200;
    private static final long BLOCKED_EVERY_NANOS = Duration.ofSeconds(3).toNanos();
    // another replica may have recorded a change's outcome (no event here): all are looked at this often
    private static final long SWEEP_EVERY_NANOS = Duration.ofSeconds(10).toNanos();
    private static final long DEPLOYING_EVERY_NANOS = Duration.ofSeconds(2).toNanos();

    private final PromotionRecords records;
    private final PromotionFlow flow;
    private final Changes changes;
    private final PullRequests pullRequests;
    private final PromotionMerges merges;
    private final StatusModel status;
    private final PromotionSignal signal;
    private final PromotionProperties properties;
    private final TransactionTemplate transactions;
    private volatile boolean running;
    private Thread thread;
    private Runnable listening;
    private long blockedAt = Long.MIN_VALUE / 2;
    private long sweptAt = Long.MIN_VALUE / 2;
    private long deployingAt = Long.MIN_VALUE / 2;
    private final java.util.concurrent.atomic.AtomicBoolean statusChanged = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.Queue<UUID> movedChanges = new java.util.concurrent.ConcurrentLinkedQueue<>();

    PromotionWorker(PromotionRecords records, PromotionFlow flow, Changes changes, PullRequests pullRequests,
                    PromotionMerges merges, StatusModel status, PromotionSignal signal, PromotionProperties properties,
                    TransactionTemplate transactions) {
        this.merges = merges;
        this.records = records;
        this.flow = flow;
        this.changes = changes;
        this.pullRequests = pullRequests;
        this.status = status;
        this.signal = signal;
        this.properties = properties;
        this.transactions = transactions;
    }

    /** A Git change moved on (committed, merged, closed): a promotion may wait for it. */
    @org.springframework.transaction.event.TransactionalEventListener(fallbackExecution = true)
    void changeMoved(Changes.StateChanged changed) {
        if (changed.state() != ChangeState.PENDING) {
            movedChanges.add(changed.changeId());
            signal.wake();
        }
    }

    /** One round of everything; returns how many promotions moved. */
    int runOnce() {
        int moved = 0;
        if (System.nanoTime() - blockedAt >= BLOCKED_EVERY_NANOS) {
            blockedAt = System.nanoTime();
            moved += each(PromotionState.BLOCKED, this::reevaluate);
        }
        for (UUID change = movedChanges.poll(); change != null; change = movedChanges.poll()) {
            for (UUID id : records.ofChange(change)) {
                moved += move(id, Set.of(PromotionState.AWAITING_APPROVAL, PromotionState.BLOCKED,
                        PromotionState.COMMITTING), this::followChange);
            }
        }
        if (System.nanoTime() - sweptAt >= SWEEP_EVERY_NANOS) {
            sweptAt = System.nanoTime();
            moved += sweepChanges();
        }
        moved += merges.mergeDue();
        // when a status changed, and for the deadlines now and then; a row is locked only when it moves
        if (statusChanged.getAndSet(false) || System.nanoTime() - deployingAt >= DEPLOYING_EVERY_NANOS) {
            deployingAt = System.nanoTime();
            for (PromotionRecords.Row row : records.inState(PromotionState.DEPLOYING, BATCH)) {
                if (deployOutcome(row) != null) {
                    moved += move(row.id(), Set.of(PromotionState.DEPLOYING), this::followDeploy);
                }
            }
        }
        moved += expire();
        closePullRequests();
        return moved;
    }

    private int each(PromotionState state, Function<PromotionRecords.Row, Boolean> step) {
        int moved = 0;
        for (UUID id : records.idsIn(List.of(state), BATCH)) {
            moved += move(id, Set.of(state), step);
        }
        return moved;
    }

    /** One step of one promotion under its row lock, if it is still in one of these states. */
    private int move(UUID id, Set<PromotionState> states, Function<PromotionRecords.Row, Boolean> step) {
        try {
            Boolean done = transactions.execute(tx -> records.lock(id).filter(row -> states.contains(row.state()))
                    .map(step).orElse(false));
            return Boolean.TRUE.equals(done) ? 1 : 0;
        } catch (RuntimeException e) {
            log.warn("Promotion {} could not move on now: {}", id, e.getMessage());
            return 0;
        }
    }

    /**
     * Every promotion whose Git change is no longer pending or open, however many wait: their
     * changes are read in one statement, and only those that moved are locked and moved on.
     */
    private int sweepChanges() {
        var waiting = records.changesOf(List.of(PromotionState.AWAITING_APPROVAL, PromotionState.BLOCKED,
                PromotionState.COMMITTING));
        var written = changes.findAll(waiting.values());
        int moved = 0;
        for (var promotion : waiting.entrySet()) {
            ChangeRecord change = written.get(promotion.getValue());
            if (change != null && change.state() != ChangeState.PENDING && change.state() != ChangeState.PULL_REQUEST_OPEN) {
                moved += move(promotion.getKey(), Set.of(PromotionState.AWAITING_APPROVAL, PromotionState.BLOCKED,
                        PromotionState.COMMITTING), this::followChange);
            }
        }
        return moved;
    }

    private boolean reevaluate(PromotionRecords.Row row) {
        return flow.advance(row, "slipway").state() != PromotionState.BLOCKED;
    }

    /** What the Git write of a promotion became moves the promotion. */
    private boolean followChange(PromotionRecords.Row row) {
        if (row.changeId() == null) {
            return false;
        }
        ChangeRecord change = changes.find(row.changeId()).orElse(null);
        if (change == null || change.state() == ChangeState.PENDING || change.state() == ChangeState.PULL_REQUEST_OPEN) {
            return false;
        }
        boolean decided = row.state() == PromotionState.COMMITTING;
        switch (change.state()) {
            case COMMITTED, MERGED -> {
                if (change.mode().equals("pull-request")) {
                    flow.pinned(row, flow.serviceOf(row), change.id());
                }
                records.deploying(row.id(), flow.now());
                String by = change.mergedBy() == null ? "someone outside Slipway" : change.mergedBy();
                if (decided) {
                    flow.move(row, PromotionState.DEPLOYING, "slipway", (change.mode().equals("pull-request")
                            ? "merged as " : "committed as ") + change.commitSha());
                } else {
                    flow.move(row, PromotionState.DEPLOYING, by, "the pull request was merged outside Slipway by "
                            + by + " (" + change.commitSha() + ") before QA decided");
                }
            }
            case CONFLICTING -> flow.move(row, PromotionState.FAILED, "slipway", "merge conflict: someone else changed "
                    + String.join(", ", change.conflictingPaths()));
            case FAILED -> {
                if (decided || change.pullRequestId() == null) {
                    flow.move(row, PromotionState.FAILED, "slipway", "the Git write failed: " + change.lastError());
                } else {
                    String by = change.mergedBy() == null ? "someone outside Slipway" : change.mergedBy();
                    flow.move(row, PromotionState.CANCELLED, by, "the pull request was closed outside Slipway");
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A deploying promotion's next move and why, or null while it is still rolling out. */
    private record Outcome(PromotionState state, String reason) {
    }

    /**
     * Deployed once the clusters run the digest, and only it, healthy; failed on a degraded rollout
     * of it (not a degradation from before it) or at the deadline.
     */
    private Outcome deployOutcome(PromotionRecords.Row row) {
        EnvironmentStatus now = status.status(new EnvironmentStatus.Key(row.team(), row.service(), row.environment()));
        Instant since = row.deployingSince() == null ? row.updatedAt() : row.deployingSince();
        if (now.state() == EnvironmentStatus.State.HEALTHY && now.running().keySet().equals(Set.of(row.digest()))) {
            int containers = now.running().values().stream().mapToInt(Integer::intValue).sum();
            return new Outcome(PromotionState.DEPLOYED, row.environment() + " runs it healthy (" + containers
                    + " container(s))");
        }
        if (now.state() == EnvironmentStatus.State.DEGRADED && !now.since().isBefore(since) && now.git() != null
                && row.digest().equals(now.git().digest())) {
            return new Outcome(PromotionState.FAILED, "rollout degraded: " + now.reason()
                    + (now.message() == null ? "" : " (" + now.message() + ")"));
        }
        if (!flow.now().isBefore(since.plus(properties.deployDeadline()))) {
            return new Outcome(PromotionState.FAILED, "deadline: " + row.environment() + " did not run it healthy"
                    + " within " + properties.deployDeadline().toMinutes() + " min; it is " + now.state().id()
                    + (now.reason() == null ? "" : " (" + now.reason() + ")"));
        }
        return null;
    }

    private boolean followDeploy(PromotionRecords.Row row) {
        Outcome outcome = deployOutcome(row);
        if (outcome == null) {
            return false;
        }
        flow.move(row, outcome.state(), "slipway", outcome.reason());
        return true;
    }

    private int expire() {
        Instant cutoff = flow.now().minus(properties.approvalTimeout());
        int moved = 0;
        for (UUID id : records.undecidedSince(cutoff, BATCH)) {
            Boolean done = transactions.execute(tx -> records.lock(id)
                    .filter(row -> PromotionState.REPLACEABLE.contains(row.state()) && !row.requestedAt().isAfter(cutoff))
                    .map(row -> {
                        String why = "no decision within " + properties.approvalTimeout().toDays() + " days";
                        if (row.changeId() != null) {
                            records.closeWith(row.id(), "Expired in Slipway: " + why + ".");
                        }
                        flow.move(row, PromotionState.EXPIRED, "slipway", why);
                        return true;
                    }).orElse(false));
            moved += Boolean.TRUE.equals(done) ? 1 : 0;
        }
        return moved;
    }

    private void closePullRequests() {
        for (UUID id : records.toClose(BATCH)) {
            PromotionRecords.Row row = records.find(id).orElse(null);
            if (row == null || row.closeComment() == null || !row.state().isFinal()) {
                continue;
            }
            ChangeRecord change = changes.find(row.changeId()).orElse(null);
            if (change != null && change.state() == ChangeState.PENDING) {
                continue; // opened soon; closed then
            }
            try {
                if (change != null && change.state() == ChangeState.PULL_REQUEST_OPEN) {
                    pullRequests.close(change.id(), row.closeComment(), "slipway");
                }
                records.closed(id);
            } catch (PullRequestException | IllegalStateException e) {
                log.info("Promotion {}: its pull request is not closed yet: {}", id, e.getMessage());
            }
        }
    }

    @Override
    public void start() {
        running = true;
        listening = status.listen(changed -> {
            if (changed.state() == EnvironmentStatus.State.HEALTHY || changed.state() == EnvironmentStatus.State.DEGRADED) {
                statusChanged.set(true);
                signal.wake();
            }
        });
        thread = Thread.ofPlatform().name("slipway-promotions").daemon().start(() -> {
            while (running) {
                try {
                    if (runOnce() == 0) {
                        signal.await(1000);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.error("Promotion worker failed; trying again shortly", e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void stop() {
        running = false;
        if (listening != null) {
            listening.run();
        }
        signal.wake();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
