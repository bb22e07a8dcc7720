package dev.slipway.portal.registry;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code slipway.registry.*}: how Azure Container Registry reaches Slipway, and which environments
 * follow a service's new images.
 *
 * @param webhookSecret the value ACR's webhook sends in {@code X-Slipway-Webhook-Secret}
 *                      ({@code SLIPWAY_ACR_WEBHOOK_SECRET}); blank refuses every event
 * @param follow        per environment: whether it takes each new image of a service, and which tags;
 *                      an environment not named here follows when it is {@code dev}
 * @param pollInterval  how often Slipway lists the registry itself, for the events its webhook did not
 *                      deliver (default 5 minutes)
 * @param pollEnabled   whether it does (default: in Azure mode, where there is a registry to read)
 */
@ConfigurationProperties("slipway.registry")
public record RegistryProperties(String webhookSecret, Map<String, Follow> follow, Duration pollInterval,
                                 Boolean pollEnabled) {

    /** Any tag but {@code latest} (in any case), which names no release. */
    static final String ANY_TAG_BUT_LATEST = "(?i)(?!latest$).+";

    public RegistryProperties {
        follow = follow == null ? Map.of() : Map.copyOf(follow);
        pollInterval = pollInterval == null ? Duration.ofMinutes(5) : pollInterval;
        if (pollInterval.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("slipway.registry.poll-interval must be at least 10 s");
        }
    }

    /**
     * @param enabled    whether the environment follows (default: only {@code dev} does)
     * @param tagPattern a regular expression a tag must match whole (default: any tag but latest)
     */
    public record Follow(Boolean enabled, String tagPattern) {
        public Follow {
            tagPattern = tagPattern == null || tagPattern.isBlank() ? ANY_TAG_BUT_LATEST : tagPattern;
            try {
                Pattern.compile(tagPattern);
            } catch (PatternSyntaxException wrong) {
                throw new IllegalArgumentException("slipway.registry.follow: tag-pattern '" + tagPattern
                        + "' is not a regular expression: " + wrong.getDescription());
            }
        }
    }

    /** The following policy of an environment, defaults applied. */
    FollowPolicy followOf(String environment) {
        Follow configured = follow.get(environment);
        boolean enabled = configured == null || configured.enabled() == null ? environment.equals("dev")
                : configured.enabled();
        return new FollowPolicy(enabled, Pattern.compile(configured == null ? ANY_TAG_BUT_LATEST : configured.tagPattern()));
    }

    record FollowPolicy(boolean enabled, Pattern tags) {
        boolean takes(String tag) {
            return enabled && tag != null && tags.matcher(tag).matches();
        }
    }
}
