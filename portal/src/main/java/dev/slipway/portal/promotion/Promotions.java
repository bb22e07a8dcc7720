package dev.slipway.portal.promotion;

import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.cluster.EnvironmentStatus;
import dev.slipway.portal.cluster.StatusHistory;
import dev.slipway.portal.cluster.StatusModel;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.portal.registry.ServiceImages;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.Role;
import dev.slipway.portal.security.SlipwayUser;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Promotions as people ask for and decide them, the UI and the REST API alike; every call checks
 * its caller first. A developer of the owning team requests; a QA engineer who did not request it
 * approves or rejects (each person once; the requester never, whatever roles they hold); the
 * requester or their team cancels what is not yet written to Git.
 */
@Component
public class Promotions {

    public static final int MAX_PAGE = 500;
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final int MAX_COMMENT = 2000;

    private final PromotionRecords records;
    private final PromotionFlow flow;
    private final Catalog catalog;
    private final ServiceImages images;
    private final Environments environments;
    private final StatusModel status;
    private final StatusHistory history;
    private final CurrentUser currentUser;
    private final PromotionProperties properties;

    Promotions(PromotionRecords records, PromotionFlow flow, Catalog catalog, ServiceImages images,
               Environments environments, StatusModel status, StatusHistory history, CurrentUser currentUser,
               PromotionProperties properties) {
        this.records = records;
        this.flow = flow;
        this.catalog = catalog;
        this.images = images;
        this.environments = environments;
        this.status = status;
        this.history = history;
        this.currentUser = currentUser;
        this.properties = properties;
    }

    /**
     * Requests that the environment run the image. A gate that fails makes it {@code blocked}, with
     * every reason, not an error; an older promotion to the environment that is not yet written to
     * Git is superseded by this one.
     *
     * @throws AccessDeniedException  not a developer of the team (403)
     * @throws NotFoundException      no such service, or no image of that digest anywhere (404)
     * @throws InvalidInputException  no such environment, a malformed digest, or another service's image (422)
     */
    @Transactional
    public Promotion request(String team, String name, String environmentName, String digest) {
        SlipwayUser user = currentUser.requireDeveloperOf(team == null ? "" : team);
        Environment environment = environments.find(environmentName == null ? "" : environmentName)
                .orElseThrow(() -> InvalidInputException.of("environment", "must be one of "
                        + environments.all().stream().map(Environment::name).toList()));
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw InvalidInputException.of("digest", "must be a sha256 image digest (sha256: and 64 lowercase hex digits)");
        }
        Service service = catalog.service(team, name);
        ServiceImages.ImageSummary image = images.summaryForSlipway(service, digest).orElseThrow(() -> {
            List<String> elsewhere = images.repositoriesWith(digest);
            return elsewhere.isEmpty()
                    ? new NotFoundException(team + "/" + name + " has no image " + digest + ".")
                    : InvalidInputException.of("digest", digest + " is an image of " + String.join(", ", elsewhere)
                            + ", not of " + team + "/" + name + "'s repository");
        });
        var reference = dev.slipway.portal.registry.ImageReference.parse(image.reference()).orElseThrow();
        boolean rollback = ranBefore(service, environment, digest);
        PromotionProperties.Rules rules = properties.rulesOf(environment);
        Instant now = flow.now();

        records.lockEnvironment(service.id(), environment.name());
        var row = new PromotionRecords.Row(UUID.randomUUID(), service.id(), team, name, environment.name(),
                reference.registry(), reference.repository(), digest, image.tags().isEmpty() ? null : image.tags().getFirst(),
                PromotionState.REQUESTED, List.of(), null, rollback, rules.approval(), rules.requiredApprovals(),
                user.username(), now, now, null, null, null, 0, null, null, null);
        records.insert(row);
        for (PromotionRecords.Row older : records.replaceable(service.id(), environment.name())) {
            if (older.id().equals(row.id())) {
                continue;
            }
            String why = "superseded by promotion " + row.id() + " (" + row.label() + ") requested by " + user.username();
            records.superseded(older.id(), row.id(), older.changeId() == null ? null
                    : "Slipway closed this pull request: " + why + ".");
            flow.move(older, PromotionState.SUPERSEDED, user.username(), why);
        }
        row = flow.move(row, PromotionState.REQUESTED, user.username(), rollback ? "a rollback: "
                + row.label() + " ran in " + environment.name() + " before" : null);
        row = flow.advance(row, user.username());
        return view(row);
    }

    /**
     * An approval by a QA engineer who did not request it. The last one the quorum needs checks the
     * gate again and has the pull request merged (by the worker, retried while Git is unreachable).
     */
    @Transactional
    public Promotion approve(UUID id, String comment) {
        SlipwayUser user = currentUser.require(Role.QA);
        PromotionRecords.Row row = decidable(id, user, "approve");
        records.decide(id, user.username(), "approved", trimmed(comment, false), flow.now());
        int approvals = records.approvals(id);
        flow.audit(row, user.username(), "promotion.approval", comment);
        try {
            if (approvals >= row.requiredApprovals()) {
                row = flow.advance(row, user.username());
            }
        } catch (DuplicateKeyException raced) {
            throw new ConflictException("Another promotion to " + row.environment() + " of " + row.team() + "/"
                    + row.service() + " was approved at the same moment; nothing was recorded. Try again.");
        }
        return view(records.find(id).orElseThrow());
    }

    /** One rejection rejects, with the reason the reviewer gives (required). */
    @Transactional
    public Promotion reject(UUID id, String comment) {
        SlipwayUser user = currentUser.require(Role.QA);
        String reason = trimmed(comment, true);
        PromotionRecords.Row row = decidable(id, user, "reject");
        records.decide(id, user.username(), "rejected", reason, flow.now());
        if (row.changeId() != null) {
            records.closeWith(id, "Rejected in Slipway by " + user.username() + ": " + reason);
        }
        flow.move(row, PromotionState.REJECTED, user.username(), reason);
        return view(records.find(id).orElseThrow());
    }

    /** Withdraws a promotion not yet written to Git: its requester, a developer of its team, or a platform admin. */
    @Transactional
    public Promotion cancel(UUID id, String comment) {
        SlipwayUser user = currentUser.requireReader();
        PromotionRecords.Row row = records.lock(id).orElseThrow(() -> notFound(id));
        if (!mayWithdraw(user, row.requestedBy(), row.team())) {
            throw new AccessDeniedException(user.username() + " may not cancel a promotion of team " + row.team()
                    + ": its requester, a developer of the team or a platform admin may.");
        }
        if (!PromotionState.REPLACEABLE.contains(row.state())) {
            throw new ConflictException("Promotion " + id + " is " + row.state().id() + ": only one not yet written to"
                    + " Git can be cancelled. To undo a deployed image, promote the one before it (a rollback).");
        }
        String reason = comment == null || comment.isBlank() ? "cancelled by " + user.username() : trimmed(comment, false);
        if (row.changeId() != null) {
            records.closeWith(id, "Cancelled in Slipway by " + user.username() + ": " + reason);
        }
        flow.move(row, PromotionState.CANCELLED, user.username(), reason);
        return view(records.find(id).orElseThrow());
    }

    @Transactional(readOnly = true)
    public Promotion get(UUID id) {
        currentUser.requireReader();
        return view(records.find(id).orElseThrow(() -> notFound(id)));
    }

    /** Newest first, narrowed by any of state, team, service and environment. */
    @Transactional(readOnly = true)
    public List<Promotion> list(String state, String team, String service, String environment, int offset, int limit) {
        currentUser.requireReader();
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw InvalidInputException.of("limit", "offset must be at least 0 and limit between 1 and " + MAX_PAGE);
        }
        PromotionState wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = PromotionState.fromId(state);
            } catch (IllegalArgumentException unknown) {
                throw InvalidInputException.of("state", "must be one of " + java.util.Arrays.stream(PromotionState.values())
                        .map(PromotionState::id).toList());
            }
        }
        return records.views(records.list(new PromotionRecords.Filter(wanted, blank(team), blank(service),
                blank(environment)), offset, limit), false, properties.approvalTimeout());
    }

    /** QA's queue: awaiting approval, oldest first. */
    @Transactional(readOnly = true)
    public List<Promotion> queue(int offset, int limit) {
        currentUser.requireReader();
        return records.views(records.awaitingApproval(Math.max(0, offset), Math.clamp(limit, 1, MAX_PAGE)), false,
                properties.approvalTimeout());
    }

    @Transactional(readOnly = true)
    public int queueSize() {
        currentUser.requireReader();
        return records.countAwaitingApproval();
    }

    /** Whether this user could approve it now (for a view's buttons; the approval itself checks again). */
    public boolean mayDecide(Promotion promotion, SlipwayUser user) {
        return user.has(Role.QA) && !user.username().equals(promotion.requestedBy())
                && promotion.state() == PromotionState.AWAITING_APPROVAL
                && promotion.decisions().stream().noneMatch(d -> d.by().equals(user.username()));
    }

    /** Whether this user could cancel it now (for a view's buttons; the cancel itself checks again). */
    public boolean mayCancel(Promotion promotion, SlipwayUser user) {
        return PromotionState.REPLACEABLE.contains(promotion.state())
                && mayWithdraw(user, promotion.requestedBy(), promotion.team());
    }

    /** Its requester, a developer of its team, or a platform admin. */
    private static boolean mayWithdraw(SlipwayUser user, String requestedBy, String team) {
        return user.username().equals(requestedBy) || user.has(Role.PLATFORM_ADMIN)
                || user.has(Role.DEVELOPER) && user.isMemberOf(team);
    }

    private PromotionRecords.Row decidable(UUID id, SlipwayUser user, String verb) {
        PromotionRecords.Row row = records.lock(id).orElseThrow(() -> notFound(id));
        if (user.username().equals(row.requestedBy())) {
            throw new AccessDeniedException("You requested promotion " + id + ": another QA engineer must " + verb + " it.");
        }
        if (!row.needsApproval()) {
            throw new ConflictException("Promotion " + id + " is to " + row.environment() + ", which needs no approval.");
        }
        if (records.decided(id, user.username())) {
            throw new ConflictException("You decided promotion " + id + " already; each person counts once.");
        }
        if (verb.equals("approve") && row.state() != PromotionState.AWAITING_APPROVAL) {
            throw new ConflictException("Promotion " + id + " is " + row.state().id()
                    + ": only one awaiting approval can be approved.");
        }
        if (verb.equals("reject") && !PromotionState.REPLACEABLE.contains(row.state())) {
            throw new ConflictException("Promotion " + id + " is " + row.state().id()
                    + ": only one not yet approved can be rejected.");
        }
        return row;
    }

    /** Whether the digest ran in the environment before (a promotion deployed it, or the clusters saw it run). */
    private boolean ranBefore(Service service, Environment environment, String digest) {
        var key = new EnvironmentStatus.Key(service.team(), service.name(), environment.name());
        EnvironmentStatus now = status.status(key);
        if (now.running().keySet().equals(java.util.Set.of(digest))
                || now.git() != null && digest.equals(now.git().digest())) {
            return false; // what runs now: promoting it again moves nothing back
        }
        return records.deployedBefore(service.id(), environment.name(), digest)
                || history.of(key, 100).stream().anyMatch(t -> t.running().containsKey(digest));
    }

    private Promotion view(PromotionRecords.Row row) {
        return records.views(List.of(row), true, properties.approvalTimeout()).getFirst();
    }

    private static String trimmed(String comment, boolean required) {
        String text = comment == null ? "" : comment.strip();
        if (required && text.isEmpty()) {
            throw InvalidInputException.of("comment", "say why: a rejection needs a comment");
        }
        if (text.length() > MAX_COMMENT) {
            throw InvalidInputException.of("comment", "must be at most " + MAX_COMMENT + " characters");
        }
        return text;
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("There is no promotion " + id + ".");
    }
}
