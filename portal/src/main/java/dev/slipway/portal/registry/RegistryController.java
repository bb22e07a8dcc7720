package dev.slipway.portal.registry;

import dev.slipway.portal.api.PayloadTooLargeException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1")
class RegistryController {

    /** ACR's events are a few hundred bytes; anything this large is not one. */
    static final int MAX_EVENT_BYTES = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Images images;
    private final WebhookSecret secret;

    RegistryController(Images images, WebhookSecret secret) {
        this.images = images;
        this.secret = secret;
    }

    /** @param deploys the changes that deploy the image to environments that follow the service's images */
    record Received(String outcome, List<java.util.UUID> deploys) {
    }

    @PostMapping("/webhooks/acr")
    @Operation(summary = "Azure Container Registry's webhook: push and delete events (others are accepted and ignored)",
            description = "Authenticated by the header X-Slipway-Webhook-Secret. A repeated event changes nothing.")
    ResponseEntity<Received> acr(@RequestHeader(name = WebhookSecret.HEADER, required = false) String presented,
                                 HttpServletRequest request) throws IOException {
        if (!secret.matches(presented)) {
            throw new BadCredentialsException("The ACR webhook must send the header " + WebhookSecret.HEADER
                    + " with Slipway's webhook secret.");
        }
        JsonNode body;
        try {
            body = JSON.readTree(read(request));
        } catch (JacksonException malformed) {
            throw new MalformedEventException("The body is not a JSON event: " + malformed.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new MalformedEventException("The body must be one JSON object, an ACR webhook event.");
        }
        Images.Recorded recorded = images.record(RegistryEvent.of(body), "acr-webhook");
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Received(
                recorded.outcome().name().toLowerCase(java.util.Locale.ROOT),
                recorded.deploys().stream().map(dev.slipway.portal.gitops.ChangeRecord::id).toList()));
    }

    /** The body, refused past {@link #MAX_EVENT_BYTES} before more of it is read. */
    private static byte[] read(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_EVENT_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_EVENT_BYTES + 1);
            if (body.length > MAX_EVENT_BYTES) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("An ACR webhook event is at most " + MAX_EVENT_BYTES + " bytes.");
    }

    /** A body that is no event at all (400). */
    static final class MalformedEventException extends org.springframework.web.server.ResponseStatusException {
        MalformedEventException(String reason) {
            super(HttpStatus.BAD_REQUEST, reason);
        }
    }
}
