package dev.slipway.portal.promotion.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.api.NotFoundException;
import static dev.slipway.portal.catalog.ui.ServiceView.fact;
import dev.slipway.portal.promotion.Promotion;
import dev.slipway.portal.promotion.PromotionEvents;
import dev.slipway.portal.promotion.PromotionState;
import dev.slipway.portal.promotion.Promotions;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.NoRolePanel;
import dev.slipway.portal.security.SlipwayUser;
import jakarta.annotation.security.PermitAll;
import java.util.UUID;
import org.springframework.security.access.AccessDeniedException;

/**
 * One promotion: what it would run where, the gate's verdict with every reason, the diff reviewers
 * see, its record (transitions and decisions), and the buttons its viewer may use, each saying why
 * when it cannot be used. Redrawn when the promotion moves.
 */
@Route("promotions/:id")
@PermitAll
public class PromotionView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Promotions promotions;
    private final PromotionEvents events;
    private final CurrentUser currentUser;
    private UUID id;
    private Runnable unlisten = () -> { };

    public PromotionView(Promotions promotions, PromotionEvents events, CurrentUser currentUser) {
        this.promotions = promotions;
        this.events = events;
        this.currentUser = currentUser;
        addClassName("slipway-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        if (!currentUser.get().mayRead()) {
            add(new NoRolePanel(currentUser.get()));
            return;
        }
        try {
            id = UUID.fromString(event.getRouteParameters().get("id").orElse(""));
            show(promotions.get(id));
        } catch (IllegalArgumentException | NotFoundException missing) {
            id = null;
            var state = new Div(new H2("Promotion not found"), new Paragraph("There is no promotion "
                    + event.getRouteParameters().get("id").orElse("") + "."), new RouterLink("All promotions",
                    PromotionsView.class));
            state.addClassName("slipway-empty");
            state.setId("promotion-not-found");
            add(state);
        }
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        UI ui = attach.getUI();
        unlisten = events.listen(changed -> {
            if (changed.id().equals(id)) {
                ui.access(() -> show(promotions.get(id)));
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        unlisten.run();
    }

    private void show(Promotion promotion) {
        removeAll();
        var heading = new H2(promotion.team() + "/" + promotion.service() + " → " + promotion.environment());
        heading.setId("promotion-heading");
        var state = PromotionBadges.state(promotion.state());
        state.setId("promotion-state");
        add(new RouterLink("← Promotions", PromotionsView.class), new Div(heading, state));

        var facts = new Div(
                fact("Image", promotion.image()),
                fact("Tag", promotion.tag() == null ? "(untagged)" : promotion.tag()),
                fact("Requested by", promotion.requestedBy() + ", " + PromotionBadges.when(promotion.requestedAt())),
                fact("Approvals", promotion.needsApproval() ? promotion.approvals() + " of " + promotion.requiredApprovals()
                        : "none needed"),
                fact("Before", PromotionBadges.previous(promotion)));
        if (promotion.rollback()) {
            facts.add(fact("Rollback", "this image ran in " + promotion.environment() + " before"));
        }
        if (promotion.expiresAt() != null && !promotion.state().isFinal()) {
            facts.add(fact("Expires", PromotionBadges.when(promotion.expiresAt())));
        }
        if (promotion.lastError() != null) {
            facts.add(fact("Last merge attempt", promotion.lastError()));
        }
        facts.addClassName("slipway-facts");
        add(facts);

        var links = new HorizontalLayout();
        if (promotion.pullRequest() != null) {
            var pr = new Anchor(promotion.pullRequest().url(), "Pull request " + promotion.pullRequest().id()
                    + " (" + promotion.pullRequest().state() + ")");
            pr.setId("promotion-pull-request");
            links.add(pr);
        }
        if (promotion.change() != null) {
            links.add(new Anchor("changes/" + promotion.change(), "The Git change"));
        }
        if (promotion.commit() != null) {
            links.add(new Span("commit " + promotion.commit().substring(0, 12)));
        }
        add(links);

        add(new H3("Gate"), PromotionBadges.verdict(promotion), PromotionBadges.scans(promotion.gate()));
        if (!promotion.reasons().isEmpty()) {
            var reasons = new Div();
            reasons.setId("promotion-reasons");
            promotion.reasons().forEach(r -> reasons.add(new Paragraph(r.rule() + ": " + r.message()
                    + (r.findings().isEmpty() ? "" : " " + String.join(", ", r.findings())))));
            add(reasons);
        }
        var diff = new Pre("services/" + promotion.team() + "/" + promotion.service() + "/" + promotion.environment()
                + "/values.yaml\n  image:\n+   tag: " + (promotion.tag() == null ? "" : promotion.tag())
                + "\n+   digest: " + promotion.digest());
        diff.addClassName("slipway-commands");
        diff.setId("promotion-diff");
        add(new H3("What it writes"), diff);

        add(decisions(promotion));

        var transitions = new Grid<Promotion.Transition>(Promotion.Transition.class, false);
        transitions.addColumn(t -> t.state().id()).setHeader("State").setAutoWidth(true);
        transitions.addColumn(Promotion.Transition::actor).setHeader("By").setAutoWidth(true);
        transitions.addColumn(t -> PromotionBadges.when(t.at())).setHeader("When").setAutoWidth(true);
        transitions.addColumn(t -> t.reason() == null ? "" : t.reason()).setHeader("Why").setFlexGrow(1);
        transitions.setItems(promotion.transitions());
        transitions.setAllRowsVisible(true);
        transitions.setId("promotion-transitions");
        add(new H3("Record"), transitions);
        if (!promotion.decisions().isEmpty()) {
            var decided = new Grid<Promotion.Decision>(Promotion.Decision.class, false);
            decided.addColumn(Promotion.Decision::by).setHeader("QA engineer").setAutoWidth(true);
            decided.addColumn(Promotion.Decision::decision).setHeader("Decision").setAutoWidth(true);
            decided.addColumn(d -> PromotionBadges.when(d.at())).setHeader("When").setAutoWidth(true);
            decided.addColumn(Promotion.Decision::comment).setHeader("Comment").setFlexGrow(1);
            decided.setItems(promotion.decisions());
            decided.setAllRowsVisible(true);
            decided.setId("promotion-decisions");
            add(decided);
        }
    }

    /** Approve, reject and cancel, for whoever may; a sentence saying why for whoever may not. */
    private Div decisions(Promotion promotion) {
        SlipwayUser user = currentUser.get();
        var box = new Div();
        box.setId("promotion-decide");
        var comment = new TextArea("Comment");
        comment.setId("promotion-comment");
        comment.setWidthFull();
        comment.setMaxLength(2000);
        var approve = new Button("Approve", click -> act(() -> promotions.approve(promotion.id(), comment.getValue())));
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
        approve.setId("promotion-approve");
        var reject = new Button("Reject", click -> {
            if (comment.getValue().isBlank()) {
                comment.setInvalid(true);
                comment.setErrorMessage("Say why: a rejection needs a comment.");
                return;
            }
            act(() -> promotions.reject(promotion.id(), comment.getValue()));
        });
        reject.addThemeVariants(ButtonVariant.LUMO_ERROR);
        reject.setId("promotion-reject");
        var cancel = new Button("Cancel promotion", click -> act(() -> promotions.cancel(promotion.id(), comment.getValue())));
        cancel.setId("promotion-cancel");
        String why = whyNot(promotion, user);
        boolean decidable = why == null;
        approve.setEnabled(decidable);
        reject.setEnabled(decidable || mayReject(promotion, user));
        boolean cancellable = promotions.mayCancel(promotion, user);
        cancel.setEnabled(cancellable);
        if (decidable || cancellable || reject.isEnabled()) {
            box.add(comment);
        }
        box.add(new HorizontalLayout(approve, reject, cancel));
        if (why != null) {
            var note = new Paragraph(why);
            note.addClassName("slipway-hint");
            note.setId("promotion-why-not");
            box.add(note);
        }
        return box;
    }

    private static String whyNot(Promotion promotion, SlipwayUser user) {
        if (!promotion.needsApproval()) {
            return promotion.environment() + " needs no approval.";
        }
        if (promotion.state() != PromotionState.AWAITING_APPROVAL) {
            return "It is " + promotion.state().id() + ": only a promotion awaiting approval can be approved.";
        }
        if (user.username().equals(promotion.requestedBy())) {
            return "You requested it: another QA engineer must decide.";
        }
        if (!user.has(dev.slipway.portal.security.Role.QA)) {
            return "Only QA engineers approve promotions to " + promotion.environment() + ".";
        }
        if (promotion.decisions().stream().anyMatch(d -> d.by().equals(user.username()))) {
            return "You decided already; each person counts once.";
        }
        return null;
    }

    private static boolean mayReject(Promotion promotion, SlipwayUser user) {
        return promotion.needsApproval() && user.has(dev.slipway.portal.security.Role.QA)
                && !user.username().equals(promotion.requestedBy()) && promotion.state() == PromotionState.BLOCKED
                && promotion.decisions().stream().noneMatch(d -> d.by().equals(user.username()));
    }

    private void act(java.util.function.Supplier<Promotion> action) {
        try {
            show(action.get());
        } catch (AccessDeniedException | ConflictException | InvalidInputException refused) {
            PromotionBadges.refused(refused);
            show(promotions.get(id));
        }
    }

    @Override
    public String getPageTitle() {
        return "Promotion · Slipway";
    }
}
