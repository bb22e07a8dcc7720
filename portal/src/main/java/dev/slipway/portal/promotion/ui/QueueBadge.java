package dev.slipway.portal.promotion.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Span;
import dev.slipway.portal.promotion.PromotionEvents;
import dev.slipway.portal.promotion.Promotions;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.Role;
import dev.slipway.portal.ui.NavBadges;
import java.util.Optional;

/** For QA engineers, how many promotions await approval, beside "Promotions" in the navigation, kept current. */
@org.springframework.stereotype.Component
class QueueBadge implements NavBadges {

    private final Promotions promotions;
    private final PromotionEvents events;
    private final CurrentUser currentUser;

    QueueBadge(Promotions promotions, PromotionEvents events, CurrentUser currentUser) {
        this.promotions = promotions;
        this.events = events;
        this.currentUser = currentUser;
    }

    @Override
    public Optional<com.vaadin.flow.component.Component> badgeFor(String path) {
        if (!path.equals("promotions") && !path.equals("/promotions")) {
            return Optional.empty();
        }
        return currentUser.find().filter(user -> user.has(Role.QA)).map(user -> new Count());
    }

    private final class Count extends Span {
        private Runnable unlisten = () -> { };

        Count() {
            addClassNames("slipway-badge", "slipway-nav-count");
            setId("nav-queue-count");
            show();
        }

        private void show() {
            int waiting = promotions.queueSize();
            setText(String.valueOf(waiting));
            setVisible(waiting > 0);
            getElement().setAttribute("title", waiting + " promotion(s) await approval");
        }

        @Override
        protected void onAttach(AttachEvent attach) {
            UI ui = attach.getUI();
            unlisten = events.listen(changed -> ui.access(this::show));
        }

        @Override
        protected void onDetach(DetachEvent detach) {
            unlisten.run();
        }
    }
}
