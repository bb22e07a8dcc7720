package dev.slipway.portal.promotion.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.catalog.ui.DigestText;
import dev.slipway.portal.promotion.Promotion;
import dev.slipway.portal.promotion.PromotionEvents;
import dev.slipway.portal.promotion.PromotionState;
import dev.slipway.portal.promotion.Promotions;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.NoRolePanel;
import dev.slipway.portal.security.SlipwayUser;
import jakarta.annotation.security.PermitAll;
import java.util.Arrays;
import java.util.function.Supplier;
import org.springframework.security.access.AccessDeniedException;

/**
 * QA's queue first (awaiting approval, oldest first, with what a reviewer needs on one line and the
 * decision beside it), then every promotion, newest first, narrowed by state. Both redraw as
 * promotions move (Vaadin push).
 */
@Route("promotions")
@PageTitle("Promotions · Slipway")
@Menu(title = "Promotions", order = 40, icon = "vaadin:rocket")
@PermitAll
public class PromotionsView extends VerticalLayout {

    private final Promotions promotions;
    private final PromotionEvents events;
    private final SlipwayUser user;
    private final Grid<Promotion> queue = new Grid<>(Promotion.class, false);
    private final Grid<Promotion> all = new Grid<>(Promotion.class, false);
    private final ComboBox<PromotionState> state = new ComboBox<>("State");
    private final Span queueCount = new Span();
    private Runnable unlisten = () -> { };

    public PromotionsView(Promotions promotions, PromotionEvents events, CurrentUser currentUser) {
        this.promotions = promotions;
        this.events = events;
        this.user = currentUser.get();
        addClassName("slipway-page");
        setSizeFull();
        if (!user.mayRead()) {
            add(new NoRolePanel(user));
            return;
        }
        queueCount.setId("queue-count");
        queue.setId("qa-queue");
        queue.addComponentColumn(p -> new RouterLink(p.team() + "/" + p.service() + " → " + p.environment(),
                PromotionView.class, new RouteParameters("id", p.id().toString()))).setHeader("Promotion").setAutoWidth(true);
        queue.addComponentColumn(p -> new Div(new Span((p.tag() == null ? "(untagged)" : p.tag()) + " "), DigestText.of(p.digest())))
                .setHeader("Image").setAutoWidth(true);
        queue.addColumn(p -> p.requestedBy() + ", " + PromotionBadges.when(p.requestedAt())).setHeader("Requested")
                .setAutoWidth(true);
        queue.addComponentColumn(p -> PromotionBadges.scans(p.gate())).setHeader("Scans").setAutoWidth(true);
        queue.addComponentColumn(PromotionBadges::verdict).setHeader("Gate").setAutoWidth(true);
        queue.addColumn(PromotionBadges::previous).setHeader("Before").setAutoWidth(true);
        queue.addColumn(p -> p.environment() + "/values.yaml: image " + (p.tag() == null ? "" : p.tag() + " ")
                + PromotionBadges.shortDigest(p.digest())).setHeader("Diff").setAutoWidth(true).setTooltipGenerator(p ->
                "services/" + p.team() + "/" + p.service() + "/" + p.environment() + "/values.yaml: image.tag "
                        + p.tag() + ", image.digest " + p.digest());
        queue.addColumn(p -> p.approvals() + " of " + p.requiredApprovals()).setHeader("Approvals").setAutoWidth(true);
        // the decision stays in view however wide the row
        queue.addComponentColumn(this::decide).setHeader("Decide").setAutoWidth(true).setFrozenToEnd(true);
        queue.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        queue.setAllRowsVisible(true);
        queue.setEmptyStateText("Nothing awaits approval.");

        all.setId("all-promotions");
        all.addComponentColumn(p -> new RouterLink(p.team() + "/" + p.service() + " → " + p.environment(),
                PromotionView.class, new RouteParameters("id", p.id().toString()))).setHeader("Promotion").setAutoWidth(true);
        all.addComponentColumn(p -> PromotionBadges.state(p.state())).setHeader("State").setAutoWidth(true);
        all.addColumn(p -> p.tag() == null ? PromotionBadges.shortDigest(p.digest()) : p.tag()).setHeader("Image")
                .setAutoWidth(true);
        all.addColumn(p -> p.requestedBy() + ", " + PromotionBadges.when(p.requestedAt())).setHeader("Requested")
                .setAutoWidth(true);
        all.addColumn(p -> PromotionBadges.when(p.updatedAt())).setHeader("Last move").setAutoWidth(true);
        all.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        all.setEmptyStateText("No promotions yet.");
        all.setItems(query -> promotions.list(state.getValue() == null ? null : state.getValue().id(), null, null, null,
                query.getOffset(), Math.min(query.getLimit(), Promotions.MAX_PAGE)).stream());

        state.setItems(Arrays.asList(PromotionState.values()));
        state.setItemLabelGenerator(PromotionState::id);
        state.setClearButtonVisible(true);
        state.setId("state-filter");
        state.addValueChangeListener(change -> all.getDataProvider().refreshAll());

        add(new Div(new H3("Awaiting approval "), queueCount), queue, new H3("All promotions"), state, all);
        setFlexGrow(1, all);
        refresh();
    }

    private HorizontalLayout decide(Promotion promotion) {
        var approve = new Button("Approve", click -> act(() -> promotions.approve(promotion.id(), "")));
        approve.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_SUCCESS, ButtonVariant.LUMO_PRIMARY);
        approve.setId("approve-" + promotion.id());
        var reject = new Button("Reject", click -> rejectDialog(promotion).open());
        reject.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        reject.setId("reject-" + promotion.id());
        boolean may = promotions.mayDecide(promotion, user);
        approve.setEnabled(may);
        reject.setEnabled(may);
        var buttons = new HorizontalLayout(approve, reject);
        if (!may) {
            String why = user.username().equals(promotion.requestedBy()) ? "you requested it"
                    : !user.has(dev.slipway.portal.security.Role.QA) ? "QA engineers decide" : "you decided already";
            var hint = new Span(why);
            hint.addClassName("slipway-hint");
            buttons.add(hint);
        }
        return buttons;
    }

    private Dialog rejectDialog(Promotion promotion) {
        var dialog = new Dialog();
        dialog.setHeaderTitle("Reject " + promotion.team() + "/" + promotion.service() + " → " + promotion.environment());
        var comment = new TextArea("Why");
        comment.setId("reject-comment");
        comment.setWidth("28em");
        comment.setRequired(true);
        comment.setMaxLength(2000);
        var confirm = new Button("Reject", click -> {
            if (comment.getValue().isBlank()) {
                comment.setInvalid(true);
                comment.setErrorMessage("Say why: a rejection needs a comment.");
                return;
            }
            act(() -> promotions.reject(promotion.id(), comment.getValue()));
            dialog.close();
        });
        confirm.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_PRIMARY);
        confirm.setId("reject-confirm");
        dialog.add(new Paragraph("The requester and the pull request's reviewers see this comment."), comment);
        dialog.getFooter().add(new Button("Back", click -> dialog.close()), confirm);
        return dialog;
    }

    private void act(Supplier<Promotion> action) {
        try {
            Promotion done = action.get();
            Notification.show("Promotion " + done.state().id(), 3000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (AccessDeniedException | ConflictException | InvalidInputException refused) {
            PromotionBadges.refused(refused);
        }
        refresh();
    }

    private void refresh() {
        var waiting = promotions.queue(0, Promotions.MAX_PAGE);
        queue.setItems(waiting);
        queueCount.setText(String.valueOf(promotions.queueSize()));
        queueCount.addClassName("slipway-badge");
        all.getDataProvider().refreshAll();
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        if (!user.mayRead()) {
            return;
        }
        UI ui = attach.getUI();
        unlisten = events.listen(changed -> ui.access(this::refresh));
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        unlisten.run();
    }
}
