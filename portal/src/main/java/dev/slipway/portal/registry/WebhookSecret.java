package dev.slipway.portal.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * The shared secret ACR's webhook sends. Local mode, when none is configured, takes the documented
 * {@value #LOCAL} (so that a newcomer's curl works); Azure mode never does: without
 * {@code slipway.registry.webhook-secret} every event is refused.
 */
@Component
class WebhookSecret {

    static final String LOCAL = "slipway-local-webhook";
    static final String HEADER = "X-Slipway-Webhook-Secret";
    private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);

    private final byte[] secret;

    WebhookSecret(RegistryProperties properties, Environment environment) {
        String configured = properties.webhookSecret();
        boolean azure = environment.acceptsProfiles(Profiles.of("azure"));
        if (configured == null || configured.isBlank()) {
            if (azure) {
                log.warn("slipway.registry.webhook-secret (SLIPWAY_ACR_WEBHOOK_SECRET) is not set: every ACR webhook event"
                        + " is refused");
            }
            configured = azure ? null : LOCAL;
        }
        this.secret = configured == null ? null : configured.getBytes(StandardCharsets.UTF_8);
    }

    /** Compared in constant time: how long the answer takes says nothing about the secret. */
    boolean matches(String presented) {
        if (secret == null || presented == null) {
            return false;
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        // MessageDigest.isEqual takes the same time for every content of equal length; hash first so length leaks nothing
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            byte[] expected = sha.digest(secret);
            byte[] actual = MessageDigest.getInstance("SHA-256").digest(given);
            boolean equal = MessageDigest.isEqual(expected, actual);
            Arrays.fill(given, (byte) 0);
            return equal;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
