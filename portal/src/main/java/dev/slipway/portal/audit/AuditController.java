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
    @Operation(summary = "Audit entries, newest first")
    List<AuditEntry> entries(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        return audit.entries(offset, limit);
    }

    @GetMapping("/verify")
    @Operation(summary = "Recompute the hash chain: intact, or the first entry that was changed or removed")
    AuditLog.Verification verify() {
        return audit.verify();
    }
}
