package dev.slipway.portal.promotion;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chat messages a promotion's moves send (awaiting approval, decided, deployed, failed,
 * expired): stored with the move, in its transaction, for {@link NotificationDelivery} to post. A
 * message says what happened and links to the promotion.
 */
@Component
class Notifications {

    static final Set<PromotionState> ANNOUNCED = Set.of(PromotionState.AWAITING_APPROVAL, PromotionState.APPROVED,
            PromotionState.REJECTED, PromotionState.DEPLOYED, PromotionState.FAILED, PromotionState.EXPIRED);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final PromotionProperties properties;
    private final Clock clock;

    Notifications(JdbcClient jdbc, PromotionProperties properties, Clock clock,
                  org.springframework.core.env.Environment environment) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        if (properties.baseUrl() == null
                && environment.acceptsProfiles(org.springframework.core.env.Profiles.of("azure"))) {
            org.slf4j.LoggerFactory.getLogger(Notifications.class).warn("slipway.promotion.base-url is not set: the links in"
                    + " pull requests and chat messages point at http://localhost:8080");
        }
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void announce(PromotionRecords.Row row, PromotionState state, String actor, String reason) {
        if (!ANNOUNCED.contains(state)) {
            return;
        }
        Instant now = clock.instant();
        for (PromotionProperties.Webhook webhook : properties.notifications().webhooks()) {
            if (!webhook.wants(state.id())) {
                continue;
            }
            Object payload = webhook.format().equals("slack") ? slack(row, state, actor, reason) : teams(row, state, actor, reason);
            jdbc.sql("""
                            insert into notifications (webhook, event, subject, payload, created_at, next_attempt_at)
                            values (?, ?, ?, ?::jsonb, ?, ?)""")
                    .params(webhook.name(), state.id(), "promotion/" + row.id(), JSON.writeValueAsString(payload),
                            Timestamp.from(now), Timestamp.from(now))
                    .update();
        }
    }

    private String headline(PromotionRecords.Row row, PromotionState state) {
        String what = row.team() + "/" + row.service() + " " + row.label() + " to " + row.environment();
        return switch (state) {
            case AWAITING_APPROVAL -> (row.rollback() ? "Rollback of " : "Promotion of ") + what + " awaits QA's approval";
            case APPROVED -> "Promotion of " + what + " approved";
            case REJECTED -> "Promotion of " + what + " rejected";
            case DEPLOYED -> what + " deployed: it runs healthy";
            case FAILED -> "Promotion of " + what + " failed";
            case EXPIRED -> "Promotion of " + what + " expired without a decision";
            default -> "Promotion of " + what + ": " + state.id();
        };
    }

    private Map<String, String> facts(PromotionRecords.Row row, String actor, String reason) {
        var facts = new LinkedHashMap<String, String>();
        facts.put("Service", row.team() + "/" + row.service());
        facts.put("Environment", row.environment());
        facts.put("Image", row.image());
        facts.put("Requested by", row.requestedBy());
        if (!actor.equals(row.requestedBy())) {
            facts.put("By", actor);
        }
        if (reason != null) {
            facts.put("Why", reason);
        }
        return facts;
    }

    private String link(PromotionRecords.Row row) {
        return properties.link("/promotions/" + row.id()).toString();
    }

    /** An Adaptive Card message, as Teams' incoming webhooks (Workflows) take it. */
    private Object teams(PromotionRecords.Row row, PromotionState state, String actor, String reason) {
        var facts = new ArrayList<Map<String, String>>();
        facts(row, actor, reason).forEach((title, value) -> facts.add(Map.of("title", title, "value", value)));
        var card = new LinkedHashMap<String, Object>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", List.of(
                Map.of("type", "TextBlock", "text", headline(row, state), "weight", "Bolder", "size", "Medium",
                        "wrap", true),
                Map.of("type", "FactSet", "facts", facts)));
        card.put("actions", List.of(Map.of("type", "Action.OpenUrl", "title", "Open in Slipway", "url", link(row))));
        return Map.of("type", "message", "attachments", List.of(
                Map.of("contentType", "application/vnd.microsoft.card.adaptive", "content", card)));
    }

    /** A Block Kit message, as Slack's incoming webhooks take it ({@code text} is the notification's fallback). */
    private Object slack(PromotionRecords.Row row, PromotionState state, String actor, String reason) {
        var fields = new ArrayList<Map<String, String>>();
        facts(row, actor, reason).forEach((title, value) -> fields.add(Map.of("type", "mrkdwn",
                "text", "*" + title + "*\n" + escape(value))));
        return Map.of("text", headline(row, state), "blocks", List.of(
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "*" + escape(headline(row, state)) + "*")),
                Map.of("type", "section", "fields", fields.subList(0, Math.min(10, fields.size()))),
                Map.of("type", "actions", "elements", List.of(Map.of("type", "button",
                        "text", Map.of("type", "plain_text", "text", "Open in Slipway"), "url", link(row))))));
    }

    /** Slack's three control characters in mrkdwn. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
