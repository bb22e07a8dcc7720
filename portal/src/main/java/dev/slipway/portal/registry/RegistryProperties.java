package dev.slipway.portal.registry;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code slipway.registry.*}: how Azure Container Registry reaches Slipway.
 *
 * @param webhookSecret the value ACR's webhook sends in {@code X-Slipway-Webhook-Secret}
 *                      ({@code SLIPWAY_ACR_WEBHOOK_SECRET}); blank refuses every event
 */
@ConfigurationProperties("slipway.registry")
public record RegistryProperties(String webhookSecret) {
}
