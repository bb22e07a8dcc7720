package dev.slipway.portal.registry;

import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.audit.AuditLog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.Role;
import dev.slipway.portal.security.SlipwayUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scans of images by their sources (Trivy reports CI uploads, Defender for Cloud's findings): the
 * newest scan of an image from a source replaces the one before it, findings and all, in one
 * transaction; a report fails whole or is stored whole.
 */
@Component
public class Scans {

    public static final String TRIVY = "trivy";
    public static final String DEFENDER = "defender";
    private static final int BATCH = 1000;

    /** Findings per severity: all of them, and those a fixed version exists for. */
    public record Summary(Map<Finding.Severity, Integer> total, Map<Finding.Severity, Integer> fixable) {
        public int total(Finding.Severity severity) {
            return total.getOrDefault(severity, 0);
        }

        public int fixable(Finding.Severity severity) {
            return fixable.getOrDefault(severity, 0);
        }

        public int findings() {
            return total.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** A stored scan. */
    public record Scan(ImageReference image, String source, Instant scannedAt, String reportedBy, Summary summary) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final Images images;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Clock clock;

    Scans(JdbcClient jdbc, JdbcTemplate batches, TransactionTemplate transactions, Images images,
          CurrentUser currentUser, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.images = images;
        this.currentUser = currentUser;
        this.audit = audit;
        this.clock = clock;
    }

    /** Who may upload a report at all, before it is read: the owning team is known only once it is. */
    public SlipwayUser requireUploader() {
        SlipwayUser user = currentUser.get();
        if (!(user.has(Role.SCANNER) || user.has(Role.SECURITY) || user.has(Role.PLATFORM_ADMIN)
                || user.has(Role.DEVELOPER))) {
            throw new AccessDeniedException("Uploading a scan report needs the scanner, security, platform-admin"
                    + " or developer role, which " + user.username() + " does not hold.");
        }
        return user;
    }

    /**
     * Stores a Trivy report (spooled to a file): the image is {@code image} when given, else the one
     * of the report's {@code Metadata.RepoDigests} that Slipway knows.
     *
     * @throws InvalidInputException another schema version, no digest, or a digest no image has (422)
     * @throws AccessDeniedException a developer of another team than the image's (403)
     * @throws ConflictException     a newer Trivy scan of the image is stored (409)
     */
    public Scan uploadTrivy(Path report, String image) {
        SlipwayUser user = requireUploader();
        TrivyReport.Header header;
        try {
            header = TrivyReport.header(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ImageReference reference = image != null ? ImageReference.parse(image).orElseThrow(() -> InvalidInputException.of(
                "image", "must be <registry>/<repository>@sha256:<digest>")) : fromReport(header);
        long imageId = images.idOf(reference).orElseThrow(() -> InvalidInputException.of(
                image != null ? "image" : "Metadata.RepoDigests",
                "Slipway knows no image " + reference + ": it records images from the registry's push events"));
        Optional<Service> owner = images.owner(reference.registry(), reference.repository());
        boolean mayUpload = user.has(Role.SCANNER) || user.has(Role.SECURITY) || user.has(Role.PLATFORM_ADMIN)
                || owner.filter(service -> user.has(Role.DEVELOPER) && user.isMemberOf(service.team())).isPresent();
        if (!mayUpload) {
            throw new AccessDeniedException(user.username() + " may upload scans of " + owner.map(
                    s -> "team " + s.team() + "'s images only as one of its developers").orElse(
                    "an image no service owns only with the scanner, security or platform-admin role") + ".");
        }
        Instant scannedAt = header.createdAt() != null ? header.createdAt() : clock.instant();
        return replace(imageId, reference, TRIVY, scannedAt, user.username(), header.trivyVersion(), sink -> {
            try {
                TrivyReport.findings(report, sink);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The image a report names in {@code Metadata.RepoDigests}: the first that Slipway has recorded. */
    private ImageReference fromReport(TrivyReport.Header header) {
        List<ImageReference> named = header.repoDigests().stream().map(ImageReference::parse)
                .flatMap(Optional::stream).toList();
        if (named.isEmpty()) {
            throw InvalidInputException.of("Metadata.RepoDigests", "names no image by digest: scan the image by its"
                    + " digest, or say which image it is with ?image=<registry>/<repository>@sha256:<digest>");
        }
        return named.stream().filter(reference -> images.idOf(reference).isPresent()).findFirst().orElse(named.getFirst());
    }

    /**
     * Replaces the image's scan from this source with this one, in one transaction; findings are
     * written in batches as they are read, so memory does not grow with the scan.
     *
     * @param findings hands every finding to the sink it is given
     * @throws ConflictException when a newer scan from this source is stored
     */
    Scan replace(long imageId, ImageReference image, String source, Instant scannedAt, String reportedBy,
                 String scannerVersion, Consumer<Consumer<Finding>> findings) {
        return transactions.execute(tx -> {
            // one scan of an image at a time: the newer of two uploads wins, whichever commits first
            jdbc.sql("select id from images where id = ? for update").param(imageId).query(Long.class).single();
            Optional<Instant> stored = jdbc.sql("select scanned_at from scans where image_id = ? and source = ?")
                    .params(imageId, source).query(Timestamp.class).optional().map(Timestamp::toInstant);
            if (stored.isPresent() && stored.get().isAfter(scannedAt)) {
                throw new ConflictException("A newer " + source + " scan of " + image + " is stored (scanned at "
                        + stored.get() + "; this one at " + scannedAt + "): nothing was changed.");
            }
            jdbc.sql("delete from scans where image_id = ? and source = ?").params(imageId, source).update();
            long scanId = jdbc.sql("""
                            insert into scans (image_id, source, scanned_at, reported_by, scanner_version)
                            values (?, ?, ?, ?, ?) returning id""")
                    .params(imageId, source, Timestamp.from(scannedAt), reportedBy, scannerVersion)
                    .query(Long.class).single();
            var total = new EnumMap<Finding.Severity, Integer>(Finding.Severity.class);
            var fixable = new EnumMap<Finding.Severity, Integer>(Finding.Severity.class);
            var batch = new ArrayList<Object[]>(BATCH);
            findings.accept(finding -> {
                total.merge(finding.severity(), 1, Integer::sum);
                if (finding.fixable()) {
                    fixable.merge(finding.severity(), 1, Integer::sum);
                }
                batch.add(new Object[] {scanId, finding.vulnerabilityId(), finding.packageName(),
                        finding.installedVersion(), finding.fixedVersion(), finding.severity().id(), finding.status(),
                        finding.title(), finding.primaryUrl(), finding.target()});
                if (batch.size() == BATCH) {
                    insert(batch);
                }
            });
            insert(batch);
            var summary = new Summary(Map.copyOf(total), Map.copyOf(fixable));
            jdbc.sql("""
                            update scans set critical = ?, critical_fixable = ?, high = ?, high_fixable = ?, medium = ?,
                                medium_fixable = ?, low = ?, low_fixable = ?, unknown = ?, unknown_fixable = ?
                            where id = ?""")
                    .params(summary.total(Finding.Severity.CRITICAL), summary.fixable(Finding.Severity.CRITICAL),
                            summary.total(Finding.Severity.HIGH), summary.fixable(Finding.Severity.HIGH),
                            summary.total(Finding.Severity.MEDIUM), summary.fixable(Finding.Severity.MEDIUM),
                            summary.total(Finding.Severity.LOW), summary.fixable(Finding.Severity.LOW),
                            summary.total(Finding.Severity.UNKNOWN), summary.fixable(Finding.Severity.UNKNOWN), scanId)
                    .update();
            summarize(imageId);
            var details = new LinkedHashMap<String, String>();
            details.put("image", image.toString());
            details.put("source", source);
            details.put("scannedAt", scannedAt.toString());
            details.put("findings", Integer.toString(summary.findings()));
            audit.record(reportedBy, "scan.recorded", "image/" + image, details);
            return new Scan(image, source, scannedAt, reportedBy, summary);
        });
    }

    /** The image's findings over all its sources, counted again now that one source's changed. */
    private void summarize(long imageId) {
        jdbc.sql("""
                        insert into image_summaries as m (image_id, critical, critical_fixable, high, high_fixable, medium,
                                                          medium_fixable, low, low_fixable, unknown, unknown_fixable)
                        select ?, count(*) filter (where rank = 0), count(*) filter (where rank = 0 and fixable),
                               count(*) filter (where rank = 1), count(*) filter (where rank = 1 and fixable),
                               count(*) filter (where rank = 2), count(*) filter (where rank = 2 and fixable),
                               count(*) filter (where rank = 3), count(*) filter (where rank = 3 and fixable),
                               count(*) filter (where rank = 4), count(*) filter (where rank = 4 and fixable)
                        from (select min(f.severity_rank) as rank, bool_or(f.fixable) as fixable
                              from findings f join scans s on s.id = f.scan_id where s.image_id = ?
                              group by f.vulnerability_id, f.package_name) distinct_findings
                        on conflict (image_id) do update set critical = excluded.critical,
                            critical_fixable = excluded.critical_fixable, high = excluded.high,
                            high_fixable = excluded.high_fixable, medium = excluded.medium,
                            medium_fixable = excluded.medium_fixable, low = excluded.low, low_fixable = excluded.low_fixable,
                            unknown = excluded.unknown, unknown_fixable = excluded.unknown_fixable""")
                .params(imageId, imageId).update();
    }

    private void insert(List<Object[]> batch) {
        if (batch.isEmpty()) {
            return;
        }
        batches.batchUpdate("""
                insert into findings (scan_id, vulnerability_id, package_name, installed_version, fixed_version, severity,
                                      status, title, primary_url, target)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", batch);
        batch.clear();
    }
}
