package dev.slipway.portal.audit;

import java.time.Instant;
import java.util.Map;

/** Who changed what, and when: one link of the hash-chained, append-only audit log. */
public record AuditEntry(long seq, Instant at, String actor, String action, String subject, Map<String, String> details,
                         String previousHash, String hash) {
}
