package dev.slipway.portal.registry.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import dev.slipway.portal.registry.ServiceImages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The small pieces every image list shows: severity counts as badges, a short copyable digest, ages. */
final class ImageBadges {

    private ImageBadges() {
    }

    /** One badge per severity with findings, "no findings", or "not scanned". */
    static Div severities(Map<String, ServiceImages.Counts> severities) {
        var badges = new Div();
        badges.addClassName("slipway-severities");
        if (severities == null) {
            badges.add(badge("not scanned", "slipway-sev-none", "No scan of this image yet"));
            return badges;
        }
        severities.forEach((severity, counts) -> {
            if (counts.total() > 0) {
                badges.add(badge(counts.total() + " " + severity, "slipway-sev-" + severity,
                        counts.fixable() + " of them with a fix"));
            }
        });
        if (badges.getChildren().findAny().isEmpty()) {
            badges.add(badge("no findings", "slipway-sev-clean", "The scans found nothing"));
        }
        return badges;
    }

    static Span badge(String text, String style, String title) {
        var badge = new Span(text);
        badge.addClassNames("slipway-badge", style);
        badge.getElement().setAttribute("title", title);
        return badge;
    }

    /** {@code sha256:3f1c2ab4e5f6} with a button that copies the whole digest. */
    static Div digest(String digest) {
        int colon = digest.indexOf(':');
        var text = new Span(digest.substring(0, Math.min(digest.length(), colon + 13)));
        text.addClassName("slipway-digest");
        text.getElement().setAttribute("title", digest);
        var copy = new Button(VaadinIcon.COPY_O.create(), click -> {
            click.getSource().getElement().executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", digest);
            Notification.show("Digest copied", 1500, Notification.Position.BOTTOM_START);
        });
        copy.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
        copy.setAriaLabel("Copy the digest " + digest);
        var digestCell = new Div(text, copy);
        digestCell.addClassName("slipway-digest-cell");
        return digestCell;
    }

    /** "trivy 2 h ago, defender 1 d ago", or "—". */
    static String scanAges(List<ServiceImages.SourceScan> scans) {
        return scans.isEmpty() ? "—" : scans.stream().map(s -> s.source() + " " + ago(Duration.ofSeconds(s.ageSeconds())))
                .collect(Collectors.joining(", "));
    }

    static String ago(Instant then, Instant now) {
        return ago(Duration.between(then, now));
    }

    private static String ago(Duration age) {
        if (age.toMinutes() < 1) {
            return "just now";
        }
        if (age.toHours() < 1) {
            return age.toMinutes() + " min ago";
        }
        if (age.toDays() < 1) {
            return age.toHours() + " h ago";
        }
        return age.toDays() + " d ago";
    }
}
