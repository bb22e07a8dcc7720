package dev.slipway.portal.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "The append-only, hash-chained record of who changed what (platform admins)")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    @Operation(summary = "Audit entries, newest first, narrowed by team, service, actor, action (a prefix when it"
            + " ends with a dot, e.g. promotion.) and time (from inclusive, to exclusive; ISO-8601 instants)")
    List<AuditEntry> entries(@RequestParam(required = false) String team, @RequestParam(required = false) String service,
                             @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                             @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                             @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        return audit.entries(new AuditLog.Filter(blank(team), blank(service), blank(actor), blank(action),
                instant("from", from), instant("to", to)), offset, limit);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static java.time.Instant instant(String field, String value) {
        if (blank(value) == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(value.strip());
        } catch (java.time.format.DateTimeParseException wrong) {
            throw dev.slipway.portal.api.InvalidInputException.of(field, "must be an instant such as 2026-12-01T00:00:00Z");
        }
    }

    @GetMapping("/verify")
    @Operation(summary = "Recompute the hash chain: intact, or the first entry that was changed or removed")
    AuditLog.Verification verify() {
        return audit.verify();
    }
}
