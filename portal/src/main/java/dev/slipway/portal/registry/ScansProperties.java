package dev.slipway.portal.registry;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code slipway.scans.*}: scan reports and waivers.
 *
 * @param maxReportSize  the largest Trivy report taken (default 32 MB); a larger one is refused with 413
 *                       before it is read
 * @param maxWaiverDays  how long a waiver may run at most (default 90 days)
 * @param defender       reading Microsoft Defender for Cloud's findings through Azure Resource Graph
 * @param gate           per environment, what its images' scans must show (see {@link GatePolicy})
 */
@ConfigurationProperties("slipway.scans")
public record ScansProperties(DataSize maxReportSize, Integer maxWaiverDays, Defender defender,
                              Map<String, GatePolicy> gate) {

    public ScansProperties {
        maxReportSize = maxReportSize == null ? DataSize.ofMegabytes(32) : maxReportSize;
        maxWaiverDays = maxWaiverDays == null ? 90 : maxWaiverDays;
        defender = defender == null ? new Defender(null, null) : defender;
        gate = gate == null ? Map.of() : Map.copyOf(gate);
        if (maxWaiverDays < 1) {
            throw new IllegalArgumentException("slipway.scans.max-waiver-days must be at least 1");
        }
    }

    /** The gate an environment's images pass, defaults applied. */
    GatePolicy gateOf(dev.slipway.portal.environment.Environment environment) {
        return gate.getOrDefault(environment.name(), GatePolicy.defaultFor(environment));
    }

    /**
     * @param enabled      whether Slipway reads Defender's findings (default: in Azure mode)
     * @param pollInterval how often (default 1 hour: Defender rescans images daily)
     */
    public record Defender(Boolean enabled, Duration pollInterval) {
        public Defender {
            pollInterval = pollInterval == null ? Duration.ofHours(1) : pollInterval;
        }
    }
}
