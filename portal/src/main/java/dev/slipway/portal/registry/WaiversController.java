package dev.slipway.portal.registry;

import dev.slipway.portal.api.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/waivers")
class WaiversController {

    private final Waivers waivers;

    WaiversController(Waivers waivers) {
        this.waivers = waivers;
    }

    /**
     * @param digest null: every image of the service's repository
     * @param until  an instant, or a date (the waiver then runs to the end of that day, UTC)
     */
    record Request(String vulnerabilityId, String team, String service, String digest, String until, String reason) {
    }

    @PostMapping
    @Operation(summary = "Waive one vulnerability for one image, or for every image of a service (security only)")
    ResponseEntity<Waivers.Waiver> grant(@RequestBody Request request) {
        Instant until = until(request.until());
        return ResponseEntity.status(HttpStatus.CREATED).body(waivers.grant(request.vulnerabilityId(), request.team(),
                request.service(), request.digest(), until, request.reason()));
    }

    @GetMapping
    @Operation(summary = "Waivers, newest first; active=true: those that count now, active=false: revoked or expired")
    List<Waivers.Waiver> list(@RequestParam(required = false) Boolean active) {
        return waivers.list(active);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a waiver (security only): it stops counting at once")
    Waivers.Waiver revoke(@PathVariable UUID id) {
        return waivers.revoke(id);
    }

    /** The waiver's end: null when absent (the service says so), 422 when it is no date. */
    private static Instant until(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
            } catch (DateTimeParseException notADate) {
                throw InvalidInputException.of("until", "must be a date (2027-01-31) or an instant (2027-01-31T12:00:00Z)");
            }
        }
    }
}
