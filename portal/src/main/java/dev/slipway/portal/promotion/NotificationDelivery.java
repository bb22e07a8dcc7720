package dev.slipway.portal.promotion;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Posts the stored notifications to their webhooks, on a thread of its own: a webhook that is slow
 * or down never holds up a decision. Each message is claimed for a while (one replica posts it),
 * tried again with a growing pause when the webhook fails, and given up after
 * {@code slipway.promotion.notifications.retries} attempts, with the reason kept.
 */
@Component
class NotificationDelivery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationDelivery.class);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final Map<String, PromotionProperties.Webhook> webhooks;
    private final int retries;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile boolean running;
    private Thread thread;

    NotificationDelivery(JdbcClient jdbc, PromotionProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.webhooks = properties.notifications().webhooks().stream()
                .collect(Collectors.toMap(PromotionProperties.Webhook::name, Function.identity(), (a, b) -> b));
        this.retries = properties.notifications().retries();
        this.clock = clock;
    }

    private record Due(long id, String webhook, String payload, int attempts) {
    }

    /** Posts what is due; returns how many were delivered. */
    int deliverDue() {
        Instant now = clock.instant();
        List<Due> due = jdbc.sql("""
                        update notifications set claimed_until = ?, attempts = attempts + 1 where id in (
                            select id from notifications
                            where delivered_at is null and gave_up_at is null and next_attempt_at <= ?
                              and (claimed_until is null or claimed_until < ?)
                            order by id limit 20 for update skip locked)
                        returning id, webhook, payload::text as payload, attempts""")
                .params(Timestamp.from(now.plus(LEASE)), Timestamp.from(now), Timestamp.from(now))
                .query((rs, n) -> new Due(rs.getLong("id"), rs.getString("webhook"), rs.getString("payload"),
                        rs.getInt("attempts"))).list();
        int delivered = 0;
        for (Due notification : due) {
            String error = post(notification);
            if (error == null) {
                jdbc.sql("update notifications set delivered_at = ?, last_error = null, claimed_until = null where id = ?")
                        .params(Timestamp.from(clock.instant()), notification.id()).update();
                delivered++;
            } else if (notification.attempts() >= retries) {
                log.warn("Notification {} to {} given up after {} attempts: {}", notification.id(), notification.webhook(),
                        notification.attempts(), error);
                jdbc.sql("update notifications set gave_up_at = ?, last_error = ?, claimed_until = null where id = ?")
                        .params(Timestamp.from(clock.instant()), error, notification.id()).update();
            } else {
                Duration pause = Duration.ofSeconds(Math.min(3600, 5L << Math.min(notification.attempts() - 1, 10)));
                log.info("Notification {} to {} tried again in {}: {}", notification.id(), notification.webhook(), pause,
                        error);
                jdbc.sql("update notifications set next_attempt_at = ?, last_error = ?, claimed_until = null where id = ?")
                        .params(Timestamp.from(clock.instant().plus(pause)), error, notification.id()).update();
            }
        }
        return delivered;
    }

    /** Null when the webhook took it, else why not. */
    private String post(Due notification) {
        PromotionProperties.Webhook webhook = webhooks.get(notification.webhook());
        if (webhook == null) {
            return "the webhook " + notification.webhook() + " is no longer configured";
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(webhook.url()).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(notification.payload())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return null;
            }
            String body = response.body() == null ? "" : response.body();
            return "HTTP " + response.statusCode() + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(200, body.length())));
        } catch (java.io.IOException e) {
            return "cannot reach the webhook: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("slipway-notifications").daemon().start(() -> {
            while (running) {
                try {
                    if (webhooks.isEmpty() || deliverDue() == 0) {
                        Thread.sleep(1000);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("Notification delivery failed; trying again shortly: {}", e.getMessage());
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
