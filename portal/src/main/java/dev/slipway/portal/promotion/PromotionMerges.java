package dev.slipway.portal.promotion;

import dev.slipway.gitops.pullrequest.PullRequestException;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.ChangeState;
import dev.slipway.portal.gitops.Changes;
import dev.slipway.portal.gitops.PullRequests;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The merges of approved promotions' pull requests, for the worker: each claimed with a lease (one
 * replica tries it at a time), the gate checked again right before, the provider called outside any
 * transaction, and a merge that cannot be done now tried again with a growing pause, the approvals
 * kept. One the provider refuses for good fails the promotion.
 */
@Component
class PromotionMerges {

    private static final Logger log = LoggerFactory.getLogger(PromotionMerges.class);
    private static final Duration MERGE_LEASE = Duration.ofSeconds(60);
    private static final int BATCH = 200;

    private final PromotionRecords records;
    private final PromotionFlow flow;
    private final Changes changes;
    private final PullRequests pullRequests;
    private final PromotionSignal signal;
    private final PromotionProperties properties;
    private final TransactionTemplate transactions;

    PromotionMerges(PromotionRecords records, PromotionFlow flow, Changes changes, PullRequests pullRequests,
                    PromotionSignal signal, PromotionProperties properties, TransactionTemplate transactions) {
        this.records = records;
        this.flow = flow;
        this.changes = changes;
        this.pullRequests = pullRequests;
        this.signal = signal;
        this.properties = properties;
        this.transactions = transactions;
    }

    /** Merges the pull requests whose approvals are complete, checking the gate right before. */
    int mergeDue() {
        int moved = 0;
        for (PromotionRecords.Row claimed : records.claimMerges(flow.now(), MERGE_LEASE, BATCH)) {
            ChangeRecord change = changes.find(claimed.changeId()).orElse(null);
            if (change == null || change.state() != ChangeState.PULL_REQUEST_OPEN) {
                if (change != null && change.state() == ChangeState.PENDING) {
                    records.mergeFailed(claimed.id(), "the pull request is not open yet", flow.now().plusMillis(500));
                }
                continue; // merged, closed or conflicting: followChange takes it on
            }
            Boolean passes = transactions.execute(tx -> records.lock(claimed.id())
                    .filter(row -> row.state() == PromotionState.COMMITTING).map(row -> {
                        Service service = flow.serviceOf(row);
                        var verdict = flowGate(row, service);
                        if (verdict.passes()) {
                            return true;
                        }
                        records.setReasons(row.id(), verdict.reasons(), verdict.summary());
                        flow.move(row, PromotionState.BLOCKED, "slipway", "the gate fails right before the merge: "
                                + verdict.reasons().stream().map(Promotion.Reason::rule).distinct().toList());
                        return false;
                    }).orElse(false));
            if (!Boolean.TRUE.equals(passes)) {
                continue;
            }
            try {
                var merged = pullRequests.merge(change.id(), approverOf(claimed));
                log.info("Promotion {}: pull request {} merged as {}", claimed.id(), change.pullRequestId(),
                        merged.commitSha());
                moved++;
                signal.wake();
            } catch (PullRequestException refused) {
                if (refused.retryable()) {
                    Duration pause = Duration.ofMillis(Math.min(60_000, 1000L << Math.min(claimed.attempts(), 6)));
                    log.warn("Promotion {}: merge not done, tried again in {}: {}", claimed.id(), pause, refused.getMessage());
                    records.mergeFailed(claimed.id(), refused.getMessage(), flow.now().plus(pause));
                } else {
                    transactions.executeWithoutResult(tx -> records.lock(claimed.id())
                            .filter(row -> row.state() == PromotionState.COMMITTING)
                            .ifPresent(row -> flow.move(row, PromotionState.FAILED, "slipway",
                                    "the merge was refused: " + refused.getMessage())));
                }
            }
        }
        return moved;
    }

    private PromotionGate.Verdict flowGate(PromotionRecords.Row row, Service service) {
        return flow.gate().evaluate(service, flow.environmentOf(row), row.digest(), row.rollback(), row.id());
    }

    private String approverOf(PromotionRecords.Row row) {
        return records.views(List.of(row), false, properties.approvalTimeout()).getFirst().decisions().stream()
                .filter(d -> d.decision().equals("approved")).map(Promotion.Decision::by)
                .reduce((first, last) -> last).orElse("slipway");
    }
}
