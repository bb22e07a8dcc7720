package dev.slipway.portal.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code slipway.status}: how the status compares what runs with what Git asks for.
 *
 * @param driftGrace how long what runs may differ from Git before the environment is {@code drifted} (10 min)
 * @param gitRefresh how often the branch is read again for edits made outside Slipway (2 min); Slipway's own
 *                   commits are read as they land
 */
@ConfigurationProperties("slipway.status")
public record StatusProperties(Duration driftGrace, Duration gitRefresh) {

    public StatusProperties {
        driftGrace = driftGrace == null ? Duration.ofMinutes(10) : driftGrace;
        gitRefresh = gitRefresh == null ? Duration.ofMinutes(2) : gitRefresh;
        if (driftGrace.isNegative() || gitRefresh.isNegative() || gitRefresh.isZero()) {
            throw new IllegalArgumentException("slipway.status: drift-grace and git-refresh must be positive");
        }
    }

    static StatusProperties defaults() {
        return new StatusProperties(null, null);
    }
}
