package dev.slipway.portal.registry;

import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.portal.audit.AuditLog;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.Role;
import dev.slipway.portal.security.SlipwayUser;
import dev.slipway.templates.PlatformSettings;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Waivers: a {@code security} user's decision that one vulnerability does not count against one
 * image, or against every image of a service's repository, until a date no further than
 * {@code slipway.scans.max-waiver-days}, with a reason. Revoked or expired, it stops counting.
 * Every grant and revocation is an audit entry.
 */
@Component
public class Waivers {

    private static final Pattern VULNERABILITY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}");

    /**
     * @param digest null: every image of the service's repository
     */
    public record Waiver(UUID id, String vulnerabilityId, String team, String service, String digest, Instant until,
                         String reason, String grantedBy, Instant grantedAt, String revokedBy, Instant revokedAt) {
        public boolean activeAt(Instant now) {
            return revokedAt == null && until.isAfter(now);
        }
    }

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Images images;
    private final PlatformSettings platform;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration longest;

    Waivers(JdbcClient jdbc, Catalog catalog, Images images, PlatformSettings platform, CurrentUser currentUser,
            AuditLog audit, Clock clock, ScansProperties properties) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.images = images;
        this.platform = platform;
        this.currentUser = currentUser;
        this.audit = audit;
        this.clock = clock;
        this.longest = Duration.ofDays(properties.maxWaiverDays());
    }

    /**
     * @throws org.springframework.security.access.AccessDeniedException not a security user (403)
     * @throws InvalidInputException naming every field at fault: the id, the service, an image it does not
     *                               have, a date past or too far, no reason (422)
     */
    @Transactional
    public Waiver grant(String vulnerabilityId, String team, String service, String digest, Instant until, String reason) {
        SlipwayUser user = currentUser.require(Role.SECURITY);
        var errors = new ArrayList<InvalidInputException.FieldError>();
        if (vulnerabilityId == null || !VULNERABILITY_ID.matcher(vulnerabilityId).matches()) {
            errors.add(new InvalidInputException.FieldError("vulnerabilityId", "must be a vulnerability id such as CVE-2024-0727"));
        }
        Optional<Service> waived = team == null || service == null ? Optional.empty() : catalog.serviceForSlipway(team, service);
        if (waived.isEmpty()) {
            errors.add(new InvalidInputException.FieldError("service", "must name a service, with its team"));
        } else if (digest != null && !digest.isBlank()) {
            var image = new ImageReference(platform.registry(), Images.repositoryOf(waived.get()), digest);
            if (!RegistryEvent.DIGEST.matcher(digest).matches() || images.idOf(image).isEmpty()) {
                errors.add(new InvalidInputException.FieldError("digest", "is no image of " + team + "/" + service));
            }
        }
        Instant now = clock.instant();
        if (until == null || !until.isAfter(now)) {
            errors.add(new InvalidInputException.FieldError("until", "must be in the future"));
        } else if (until.isAfter(now.plus(longest))) {
            errors.add(new InvalidInputException.FieldError("until", "must be at most " + longest.toDays()
                    + " days from now (slipway.scans.max-waiver-days)"));
        }
        if (reason == null || reason.isBlank()) {
            errors.add(new InvalidInputException.FieldError("reason", "is required: say why this finding may wait"));
        } else if (reason.length() > 2000) {
            errors.add(new InvalidInputException.FieldError("reason", "must be at most 2000 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        UUID id = UUID.randomUUID();
        String pinned = digest == null || digest.isBlank() ? null : digest;
        jdbc.sql("""
                        insert into waivers (id, vulnerability_id, service_id, digest, until, reason, granted_by, granted_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, vulnerabilityId, waived.get().id(), pinned, Timestamp.from(until), reason.strip(),
                        user.username(), Timestamp.from(now)).update();
        var details = new LinkedHashMap<String, String>();
        details.put("vulnerability", vulnerabilityId);
        details.put("image", pinned == null ? "every image of the service" : pinned);
        details.put("until", until.toString());
        details.put("reason", reason.strip());
        audit.record(user.username(), "waiver.granted", "service/" + team + "/" + service, details);
        return find(id).orElseThrow();
    }

    /**
     * @throws NotFoundException no such waiver (404)
     * @throws ConflictException revoked already (409)
     */
    @Transactional
    public Waiver revoke(UUID id) {
        SlipwayUser user = currentUser.require(Role.SECURITY);
        Waiver waiver = find(id).orElseThrow(() -> new NotFoundException("There is no waiver " + id + "."));
        int revoked = jdbc.sql("update waivers set revoked_by = ?, revoked_at = ? where id = ? and revoked_at is null")
                .params(user.username(), Timestamp.from(clock.instant()), id).update();
        if (revoked == 0) {
            throw new ConflictException("Waiver " + id + " was revoked already, by " + waiver.revokedBy() + ".");
        }
        audit.record(user.username(), "waiver.revoked", "service/" + waiver.team() + "/" + waiver.service(),
                java.util.Map.of("waiver", id.toString(), "vulnerability", waiver.vulnerabilityId()));
        return find(id).orElseThrow();
    }

    /** @param active null: all; true: only those that count now; false: only revoked or expired ones */
    @Transactional(readOnly = true)
    public List<Waiver> list(Boolean active) {
        currentUser.requireReader();
        String filter = active == null ? "" : active ? " where w.revoked_at is null and w.until > ?"
                : " where (w.revoked_at is not null or w.until <= ?)";
        var query = jdbc.sql(SELECT + filter + " order by w.granted_at desc limit 1000");
        if (active != null) {
            query = query.param(Timestamp.from(clock.instant()));
        }
        return query.query(Waivers::waiver).list();
    }

    /** Every waiver of a service's vulnerabilities, for the gate: it tells active from expired itself. */
    List<Waiver> ofService(UUID serviceId) {
        return jdbc.sql(SELECT + " where w.service_id = ?").param(serviceId).query(Waivers::waiver).list();
    }

    private Optional<Waiver> find(UUID id) {
        return jdbc.sql(SELECT + " where w.id = ?").param(id).query(Waivers::waiver).optional();
    }

    private static final String SELECT = """
            select w.id, w.vulnerability_id, t.name as team, s.name as service, w.digest, w.until, w.reason, w.granted_by,
                   w.granted_at, w.revoked_by, w.revoked_at
            from waivers w join services s on s.id = w.service_id join teams t on t.id = s.team_id""";

    private static Waiver waiver(ResultSet rs, int row) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new Waiver(rs.getObject("id", UUID.class), rs.getString("vulnerability_id"), rs.getString("team"),
                rs.getString("service"), rs.getString("digest"), rs.getTimestamp("until").toInstant(),
                rs.getString("reason"), rs.getString("granted_by"), rs.getTimestamp("granted_at").toInstant(),
                rs.getString("revoked_by"), revoked == null ? null : revoked.toInstant());
    }
}
