package dev.slipway.portal.registry.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
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
