package dev.slipway.portal.registry;

import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.templates.PlatformSettings;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whether an image of a service may go to an environment as far as its scans go: the environment's
 * {@link GatePolicy} applied to the image's findings from every source (a vulnerability of a package
 * counts once, at the worst severity a source gave it), less those an active waiver covers. It
 * answers pass, or every reason it fails: which rule, which findings, which waiver stopped counting.
 */
@Component
public class ScanGate {

    private static final int LISTED = 50;

    /** A rule the image breaks. */
    public record Reason(String rule, String message, List<String> findings) {
    }

    /** A finding an active waiver covers, and which. */
    public record Waived(String vulnerabilityId, String packageName, Finding.Severity severity, java.util.UUID waiver,
                         Instant until) {
    }

    public record Verdict(ImageReference image, String environment, boolean passes, List<Reason> reasons,
                          List<Waived> waived, Instant evaluatedAt) {
    }

    private record Counted(String vulnerabilityId, String packageName, Finding.Severity severity, boolean fixable) {
        String describe() {
            return vulnerabilityId + " (" + severity.id() + ", " + packageName + (fixable ? ", fix available" : "") + ")";
        }
    }

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Environments environments;
    private final ScansProperties properties;
    private final Waivers waivers;
    private final PlatformSettings platform;
    private final Clock clock;

    ScanGate(JdbcClient jdbc, Catalog catalog, Environments environments, ScansProperties properties, Waivers waivers,
             PlatformSettings platform, Clock clock) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.environments = environments;
        this.properties = properties;
        this.waivers = waivers;
        this.platform = platform;
        this.clock = clock;
    }

    /**
     * @throws NotFoundException     unknown service, or a digest that is no image of it (404)
     * @throws InvalidInputException an environment that is not configured (422)
     */
    @Transactional(readOnly = true)
    public Verdict evaluate(String team, String name, String digest, String environmentName) {
        Service service = catalog.service(team, name); // checks that the caller may read Slipway
        Environment environment = environments.find(environmentName == null ? "" : environmentName)
                .orElseThrow(() -> InvalidInputException.of("environment", "must be one of "
                        + environments.all().stream().map(Environment::name).toList()));
        return verdict(service, digest, environment)
                .orElseThrow(() -> new NotFoundException(team + "/" + name + " has no image " + digest + "."));
    }

    /**
     * The same verdict for Slipway's own work, with no caller check (a promotion the worker
     * evaluates again when a scan or a waiver changes); empty when the service has no such image.
     */
    @Transactional(readOnly = true)
    public Optional<Verdict> evaluateForSlipway(Service service, String digest, Environment environment) {
        return verdict(service, digest, environment);
    }

    private Optional<Verdict> verdict(Service service, String digest, Environment environment) {
        var image = new ImageReference(platform.registry(), Images.repositoryOf(service), digest);
        record Row(long id, Instant deletedAt) {
        }
        return jdbc.sql("select id, deleted_at from images where registry = ? and repository = ? and digest = ?")
                .params(image.registry(), image.repository(), image.digest())
                .query((rs, n) -> new Row(rs.getLong("id"), rs.getTimestamp("deleted_at") == null ? null
                        : rs.getTimestamp("deleted_at").toInstant())).optional()
                .map(row -> evaluate(service, image, row.id(), row.deletedAt(), environment));
    }

    private Verdict evaluate(Service service, ImageReference image, long imageId, Instant deletedAt, Environment environment) {
        Instant now = clock.instant();
        GatePolicy policy = properties.gateOf(environment);
        var reasons = new ArrayList<Reason>();
        if (deletedAt != null) {
            reasons.add(new Reason("image-deleted", "The image was deleted from the registry at " + deletedAt + ".", List.of()));
        }
        Optional<Instant> newestScan = jdbc.sql("select max(scanned_at) from scans where image_id = ?").param(imageId)
                .query(Timestamp.class).optional().map(Timestamp::toInstant);
        if (newestScan.isEmpty() && policy.requireScan()) {
            reasons.add(new Reason("scan-required", environment.name() + " takes only scanned images, and this one has no"
                    + " scan: upload a Trivy report (POST /api/v1/scans) or wait for Defender for Cloud's.", List.of()));
        }
        if (newestScan.isPresent() && policy.maxScanAge() != null
                && Duration.between(newestScan.get(), now).compareTo(policy.maxScanAge()) > 0) {
            reasons.add(new Reason("scan-age", "The newest scan is from " + newestScan.get() + ", older than "
                    + environment.name() + " allows (" + policy.maxScanAge().toDays() + " days): scan it again.", List.of()));
        }
        List<Counted> findings = jdbc.sql("""
                        select f.vulnerability_id, f.package_name, min(f.severity_rank) as rank, bool_or(f.fixable) as fixable
                        from findings f join scans s on s.id = f.scan_id
                        where s.image_id = ?
                        group by f.vulnerability_id, f.package_name""")
                .param(imageId)
                .query((rs, n) -> new Counted(rs.getString("vulnerability_id"), rs.getString("package_name"),
                        Finding.Severity.values()[rs.getInt("rank")], rs.getBoolean("fixable")))
                .list();
        List<Waivers.Waiver> ofService = waivers.ofService(service.id()).stream()
                .filter(w -> w.digest() == null || w.digest().equals(image.digest())).toList();
        var waived = new ArrayList<Waived>();
        var counted = new ArrayList<Counted>();
        for (Counted finding : findings) {
            Optional<Waivers.Waiver> active = ofService.stream()
                    .filter(w -> w.vulnerabilityId().equals(finding.vulnerabilityId()) && w.activeAt(now))
                    .max(Comparator.comparing(Waivers.Waiver::until));
            if (active.isPresent()) {
                waived.add(new Waived(finding.vulnerabilityId(), finding.packageName(), finding.severity(),
                        active.get().id(), active.get().until()));
            } else {
                counted.add(finding);
            }
        }
        var lapsed = new java.util.LinkedHashSet<Counted>();
        for (GatePolicy.Limit limit : policy.limits()) {
            List<Counted> over = counted.stream().filter(f -> f.severity() == limit.severity()
                    && (!limit.fixableOnly() || f.fixable())).sorted(Comparator.comparing(Counted::vulnerabilityId)).toList();
            if (over.size() > limit.max()) {
                reasons.add(new Reason("max-" + limit.severity().id() + (limit.fixableOnly() ? "-fixable" : ""),
                        over.size() + " " + limit.severity().id() + " finding(s)" + (limit.fixableOnly() ? " with a fix" : "")
                                + " where " + environment.name() + " allows " + limit.describe() + ".",
                        over.stream().limit(LISTED).map(Counted::describe).toList()));
                lapsed.addAll(over);
            }
        }
        // a finding that fails a rule and had a waiver: say that it ran out, and when
        for (Counted finding : lapsed) {
            ofService.stream().filter(w -> w.vulnerabilityId().equals(finding.vulnerabilityId()))
                    .max(Comparator.comparing(Waivers.Waiver::until))
                    .ifPresent(w -> reasons.add(new Reason("waiver-lapsed", "Waiver " + w.id() + " for "
                            + w.vulnerabilityId() + (w.revokedAt() != null ? " was revoked by " + w.revokedBy() + " at "
                            + w.revokedAt() : " expired at " + w.until()) + ".", List.of(finding.describe()))));
        }
        return new Verdict(image, environment.name(), reasons.isEmpty(), List.copyOf(reasons), List.copyOf(waived), now);
    }
}
