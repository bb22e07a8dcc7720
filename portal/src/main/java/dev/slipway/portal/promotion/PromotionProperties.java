package dev.slipway.portal.promotion;

import dev.slipway.portal.environment.Environment;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code slipway.promotion.*}: how releases move between environments.
 *
 * @param approvalTimeout   how long a promotion waits for its decision before it expires (default 14 days)
 * @param deployDeadline    how long after its Git write the image must run healthy (default 15 minutes)
 * @param requiredApprovals how many QA engineers must approve (default 1); one rejection rejects
 * @param environments      per environment: whether it needs approval and how long the previous one must run the image
 * @param notifications     where decisions and failures are posted
 * @param baseUrl           the portal's address, for links in pull requests and notifications (local mode:
 *                          {@code http://localhost:8080} when unset; Azure mode warns when it is unset)
 */
@ConfigurationProperties("slipway.promotion")
public record PromotionProperties(Duration approvalTimeout, Duration deployDeadline, Integer requiredApprovals,
                                  Map<String, Stage> environments, Notifications notifications, URI baseUrl) {

    public PromotionProperties {
        approvalTimeout = approvalTimeout == null ? Duration.ofDays(14) : approvalTimeout;
        deployDeadline = deployDeadline == null ? Duration.ofMinutes(15) : deployDeadline;
        requiredApprovals = requiredApprovals == null ? 1 : requiredApprovals;
        environments = environments == null ? Map.of() : Map.copyOf(environments);
        notifications = notifications == null ? new Notifications(null, null) : notifications;
        if (requiredApprovals < 1) {
            throw new IllegalArgumentException("slipway.promotion.required-approvals must be at least 1");
        }
        if (approvalTimeout.isNegative() || approvalTimeout.isZero() || deployDeadline.isNegative()
                || deployDeadline.isZero()) {
            throw new IllegalArgumentException("slipway.promotion: approval-timeout and deploy-deadline must be positive");
        }
    }

    /** Where a link to a page of the portal points. */
    URI link(String path) {
        return (baseUrl == null ? URI.create("http://localhost:8080") : baseUrl).resolve(path);
    }

    /**
     * @param approval         whether a promotion to it needs QA's approval (default: production-tier environments)
     * @param soak             how long the image must have run healthy in the environment before it (default none)
     * @param previousHealthy  whether the image must run healthy in the environment before it at all (default true)
     */
    public record Stage(Boolean approval, Duration soak, Boolean previousHealthy) {
    }

    /** The rules of an environment, defaults applied. */
    Rules rulesOf(Environment environment) {
        Stage stage = environments.get(environment.name());
        boolean approval = stage == null || stage.approval() == null ? environment.tier() == Environment.Tier.PROD
                : stage.approval();
        Duration soak = stage == null || stage.soak() == null ? Duration.ZERO : stage.soak();
        boolean previous = stage == null || stage.previousHealthy() == null || stage.previousHealthy();
        return new Rules(approval, approval ? requiredApprovals : 0, soak, previous);
    }

    record Rules(boolean approval, int requiredApprovals, Duration soak, boolean previousHealthy) {
    }

    /**
     * @param webhooks incoming webhooks of chat channels
     * @param retries  how often a delivery is tried before it is given up (default 10, over about a day)
     */
    public record Notifications(List<Webhook> webhooks, Integer retries) {
        public Notifications {
            webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
            retries = retries == null ? 10 : retries;
        }
    }

    /**
     * @param name   how the log and the database name it
     * @param url    the incoming webhook's address (a Teams Workflows or Slack incoming webhook)
     * @param format {@code teams} (an Adaptive Card) or {@code slack} (Block Kit)
     * @param events which events it receives (default all: awaiting-approval, approved, rejected, deployed, failed, expired)
     */
    public record Webhook(String name, URI url, String format, List<String> events) {
        public Webhook {
            if (name == null || name.isBlank() || url == null) {
                throw new IllegalArgumentException("slipway.promotion.notifications.webhooks: each needs a name and a url");
            }
            format = format == null ? "teams" : format.toLowerCase(Locale.ROOT);
            if (!format.equals("teams") && !format.equals("slack")) {
                throw new IllegalArgumentException("slipway.promotion.notifications.webhooks." + name
                        + ": format must be teams or slack, not " + format);
            }
            events = events == null ? List.of() : List.copyOf(events);
        }

        boolean wants(String event) {
            return events.isEmpty() || events.contains(event);
        }
    }
}
