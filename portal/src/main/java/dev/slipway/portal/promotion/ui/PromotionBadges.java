package dev.slipway.portal.promotion.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import dev.slipway.portal.promotion.Promotion;
import dev.slipway.portal.promotion.PromotionState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The small pieces promotion views share: a state badge, scan counts, the gate's verdict, times. */
final class PromotionBadges {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private PromotionBadges() {
    }

    static Span state(PromotionState state) {
        return badge(state.id(), "slipway-promotion-" + state.id(), "");
    }

    /** The scan summary as reviewers see it: one badge per severity with findings, or none found, or no scan. */
    static Div scans(Promotion.Gate gate) {
        var badges = new Div();
        badges.addClassName("slipway-severities");
        if (gate == null || gate.severities().isEmpty()) {
            badges.add(badge("not scanned", "slipway-sev-none", "No scan of this image yet"));
            return badges;
        }
        for (String severity : List.of("critical", "high", "medium", "low", "unknown")) {
            int count = gate.severities().getOrDefault(severity, 0);
            if (count > 0) {
                badges.add(badge(count + " " + severity, "slipway-sev-" + severity, ""));
            }
        }
        if (badges.getChildren().findAny().isEmpty()) {
            badges.add(badge("no findings", "slipway-sev-clean", "The scans found nothing"));
        }
        if (gate.waived() > 0) {
            badges.add(badge(gate.waived() + " waived", "slipway-sev-none", "Findings an active waiver covers"));
        }
        return badges;
    }

    /** Passes, or the rules it fails (each reason's message as its tooltip). */
    static Div verdict(Promotion promotion) {
        var verdict = new Div();
        verdict.addClassName("slipway-gate");
        if (promotion.reasons().isEmpty()) {
            verdict.add(badge("gate passes", "slipway-sev-clean", promotion.gate() == null ? ""
                    : "Evaluated " + WHEN.format(promotion.gate().evaluatedAt())));
        }
        for (Promotion.Reason reason : promotion.reasons()) {
            verdict.add(badge(reason.rule(), "slipway-sev-high", reason.message()));
        }
        return verdict;
    }

    /** The environment before, as the gate saw it ("test: healthy"). */
    static String previous(Promotion promotion) {
        Promotion.Gate gate = promotion.gate();
        return gate == null || gate.previousEnvironment() == null ? "—"
                : gate.previousEnvironment() + ": " + gate.previousState();
    }

    static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }

    static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    static Span badge(String text, String style, String title) {
        var badge = new Span(text);
        badge.addClassNames("slipway-badge", style);
        if (!title.isEmpty()) {
            badge.getElement().setAttribute("title", title);
        }
        return badge;
    }

    /** What the service refused, said where the user looks (the service checked; the view only reports it). */
    static void refused(RuntimeException refusal) {
        com.vaadin.flow.component.notification.Notification.show(refusal.getMessage(), 6000,
                        com.vaadin.flow.component.notification.Notification.Position.MIDDLE)
                .addThemeVariants(com.vaadin.flow.component.notification.NotificationVariant.LUMO_ERROR);
    }
}
