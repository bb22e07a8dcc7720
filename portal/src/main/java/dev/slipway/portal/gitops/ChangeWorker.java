package dev.slipway.portal.gitops;

import dev.slipway.gitops.Change;
import dev.slipway.gitops.GitOpsUnavailableException;
import dev.slipway.gitops.GitOpsWriter;
import dev.slipway.gitops.Outcome;
import dev.slipway.gitops.pullrequest.PullRequestException;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import dev.slipway.portal.audit.AuditLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes committed, pending changes from the database and writes them to the GitOps repository:
 * all that is due in one batch (one push), each outcome recorded with the audit entry. Survives a
 * crash at any point: an unrecorded change is claimed again once its lease ends, and the writer
 * recognises one that already reached the branch by its change id.
 */
@Component
class ChangeWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeWorker.class);
    // long enough for a batch against a slow remote; short enough that a crashed replica's changes move on soon
    static final Duration LEASE = Duration.ofSeconds(15);

    private final Changes changes;
    private final GitOpsWriter writer;
    private final PullRequestProvider pullRequests;
    private final ChangeSignal signal;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final int batch;
    private final String workerId = "worker-" + UUID.randomUUID();
    private volatile boolean running;
    private Thread thread;

    ChangeWorker(Changes changes, GitOpsWriter writer, PullRequestProvider pullRequests, ChangeSignal signal,
                 AuditLog audit, TransactionTemplate transactions, GitOpsProperties properties) {
        this.changes = changes;
        this.writer = writer;
        this.pullRequests = pullRequests;
        this.signal = signal;
        this.audit = audit;
        this.transactions = transactions;
        this.batch = properties.maxBatch() > 0 ? properties.maxBatch() : 64;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("slipway-change-worker").daemon().start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        // a repack of a large repository takes a while: the portal stops without waiting for it
        writer.stopMaintenance();
        signal.wake();
        try {
            thread.join(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            try {
                if (!runOnce()) {
                    // nothing waits: a moment to tidy the clone, where a repack holds nobody up
                    writer.maintain();
                    signal.await(500);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Change worker failed; trying again shortly", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Claims and writes one batch; returns whether there was anything to do. */
    boolean runOnce() {
        List<Changes.Claimed> claimed = changes.claim(workerId, batch, LEASE);
        if (claimed.isEmpty()) {
            return false;
        }
        var commits = new ArrayList<Changes.Claimed>();
        for (Changes.Claimed change : claimed) {
            if (change.unreadable() != null) {
                log.error("Change {} fails: {}", change.change().id(), change.unreadable());
                record(change, new Outcome.Rejected(change.change().id(), change.unreadable()));
            } else if (change.change().mode().equals("pull-request")) {
                propose(change);
            } else {
                commits.add(change);
            }
        }
        if (!commits.isEmpty()) {
            commit(commits);
        }
        return true;
    }

    private void commit(List<Changes.Claimed> claimed) {
        List<Outcome> outcomes;
        long start = System.nanoTime();
        try {
            outcomes = writer.commit().addAll(claimed.stream().map(ChangeWorker::toGit).toList()).call();
        } catch (GitOpsUnavailableException unavailable) {
            claimed.forEach(c -> postpone(c, unavailable.getMessage()));
            return;
        }
        long written = System.nanoTime();
        record(claimed, outcomes);
        if (log.isDebugEnabled()) {
            log.debug("Wrote {} changes: Git {} ms, recorded in {} ms", claimed.size(), (written - start) / 1_000_000,
                    (System.nanoTime() - written) / 1_000_000);
        }
    }

    private void propose(Changes.Claimed claimed) {
        try {
            record(claimed, writer.propose().change(toGit(claimed)).through(pullRequests).call());
        } catch (GitOpsUnavailableException unavailable) {
            postpone(claimed, unavailable.getMessage());
        } catch (PullRequestException refused) {
            if (refused.retryable()) {
                postpone(claimed, refused.getMessage());
            } else {
                record(claimed, new Outcome.Rejected(claimed.change().id(), refused.getMessage()));
            }
        }
    }

    private void record(Changes.Claimed claimed, Outcome outcome) {
        record(List.of(claimed), List.of(outcome));
    }

    /**
     * Records the outcomes, each with its audit entry, in one transaction: a batch costs a few
     * statements, not a round of them per change.
     */
    private void record(List<Changes.Claimed> claimed, List<Outcome> outcomes) {
        var completions = new ArrayList<Changes.Completion>();
        for (int i = 0; i < claimed.size(); i++) {
            UUID id = claimed.get(i).change().id();
            completions.add(switch (outcomes.get(i)) {
                case Outcome.Committed committed -> new Changes.Completion(id, ChangeState.COMMITTED,
                        committed.commitSha(), null, null, null, null);
                case Outcome.PullRequestOpened opened -> new Changes.Completion(id, ChangeState.PULL_REQUEST_OPEN,
                        null, opened.pullRequestId(), opened.url(), null, null);
                case Outcome.Conflicting conflicting -> new Changes.Completion(id, ChangeState.CONFLICTING, null, null,
                        null, conflicting.paths(), "someone else changed " + String.join(", ", conflicting.paths()));
                case Outcome.Rejected rejected -> new Changes.Completion(id, ChangeState.FAILED, null, null, null, null,
                        rejected.reason());
            });
        }
        transactions.executeWithoutResult(tx -> {
            var recorded = changes.complete(workerId, completions);
            var entries = new ArrayList<AuditLog.Entry>();
            for (int i = 0; i < claimed.size(); i++) {
                UUID id = claimed.get(i).change().id();
                if (recorded.contains(id)) {
                    entries.add(new AuditLog.Entry("slipway", "change." + stateOf(outcomes.get(i)), "change/" + id,
                            details(outcomes.get(i))));
                }
            }
            audit.recordAll(entries);
        });
    }

    private void postpone(Changes.Claimed claimed, String error) {
        int attempts = claimed.change().attempts();
        Duration delay = Duration.ofMillis(Math.min(60_000, 500L << Math.min(attempts, 7)));
        log.warn("Change {} waits {} before attempt {}: {}", claimed.change().id(), delay, attempts + 1, error);
        changes.postpone(claimed.change().id(), workerId, error, delay);
    }

    private static String stateOf(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Committed c -> "committed";
            case Outcome.PullRequestOpened p -> "pull-request-opened";
            case Outcome.Conflicting c -> "conflicting";
            case Outcome.Rejected r -> "failed";
        };
    }

    private static Map<String, String> details(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Committed c -> Map.of("commit", c.commitSha());
            case Outcome.PullRequestOpened p -> Map.of("pullRequest", p.pullRequestId(), "commit", p.commitSha());
            case Outcome.Conflicting c -> Map.of("paths", String.join(",", c.paths()));
            case Outcome.Rejected r -> Map.of("reason", r.reason());
        };
    }

    private static Change toGit(Changes.Claimed claimed) {
        ChangeRecord change = claimed.change();
        String body = claimed.body() == null ? "Requested by " + change.requestedBy() + " in Slipway." : claimed.body();
        return new Change(change.id(), change.title(), body, change.requestedBy(), change.requestedBy() + "@slipway",
                claimed.files());
    }
}
