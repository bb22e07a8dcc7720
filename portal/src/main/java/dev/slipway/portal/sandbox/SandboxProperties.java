package dev.slipway.portal.sandbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code slipway.sandbox}: local mode's sandbox clusters, an in-process Kubernetes API per cluster
 * that a sync agent fills from the GitOps repository as Argo CD and the kubelet would. Never in Azure
 * mode, whatever this says.
 *
 * @param enabled    on by default in local mode
 * @param readyAfter how long a new pod takes to become ready (3 s)
 */
@ConfigurationProperties("slipway.sandbox")
public record SandboxProperties(Boolean enabled, Duration readyAfter) {

    public SandboxProperties {
        enabled = enabled == null || enabled;
        readyAfter = readyAfter == null ? Duration.ofSeconds(3) : readyAfter;
        if (readyAfter.isNegative()) {
            throw new IllegalArgumentException("slipway.sandbox.ready-after must not be negative");
        }
    }
}
