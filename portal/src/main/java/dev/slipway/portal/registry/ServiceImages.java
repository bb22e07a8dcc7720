package dev.slipway.portal.registry;

import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.templates.PlatformSettings;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A service's images as people read them: tags, what the scans found (over all sources, and each
 * source's newest scan with its age), where each runs according to Git, and an image's findings
 * page by page. Reading needs any Slipway role but scanner.
 */
@Component
public class ServiceImages {

    public static final int MAX_PAGE = 500;

    public record Counts(int total, int fixable) {
    }

    /** A source's newest scan of an image. */
    public record SourceScan(String source, Instant scannedAt, long ageSeconds, Map<String, Counts> severities) {
    }

    /**
     * @param severities   over all sources; null when the image has no scan
     * @param environments those whose values pin this digest (what Slipway last committed)
     */
    public record ImageSummary(String reference, String digest, List<String> tags, String mediaType, Long size,
                               Instant pushedAt, boolean deleted, Map<String, Counts> severities, List<SourceScan> scans,
                               List<String> environments) {
    }

    public record Page<T>(List<T> items, int total, int offset, int limit) {
    }

    /** @param waiver the active waiver that covers it, or null */
    public record FindingView(String vulnerabilityId, String packageName, String installedVersion, String fixedVersion,
                              String severity, boolean fixable, String status, String title, String primaryUrl,
                              String target, String source, UUID waiver) {
    }

    public record ImageDetail(ImageSummary image, Page<FindingView> findings, List<Waivers.Waiver> waivers) {
    }

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final PlatformSettings platform;
    private final Environments environments;
    private final Waivers waivers;
    private final dev.slipway.portal.security.CurrentUser currentUser;
    private final Clock clock;

    ServiceImages(JdbcClient jdbc, Catalog catalog, PlatformSettings platform, Environments environments, Waivers waivers,
                  dev.slipway.portal.security.CurrentUser currentUser, Clock clock) {
        this.currentUser = currentUser;
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.platform = platform;
        this.environments = environments;
        this.waivers = waivers;
        this.clock = clock;
    }

    private static final String SUMMARY = """
            select i.id, i.registry, i.repository, i.digest, i.media_type, i.size_bytes, i.pushed_at, i.deleted_at,
                   coalesce((select array_agg(t.tag order by t.tagged_at desc, t.tag) from image_tags t
                             where t.image_id = i.id), '{}') as tags,
                   coalesce((select array_agg(e.environment) from environment_images e
                             where e.registry = i.registry and e.repository = i.repository and e.digest = i.digest),
                            '{}') as environments,
                   m.image_id is not null as scanned, m.critical, m.critical_fixable, m.high, m.high_fixable, m.medium,
                   m.medium_fixable, m.low, m.low_fixable, m.unknown, m.unknown_fixable,
                   count(*) over () as total
            from images i left join image_summaries m on m.image_id = i.id
            where i.registry = ?""";

    /** The images of a service's repository, newest first. */
    @Transactional(readOnly = true)
    public Page<ImageSummary> ofService(String team, String name, int offset, int limit) {
        Service service = catalog.service(team, name);
        checkPage(offset, limit);
        var ids = new ArrayList<Long>();
        var total = new int[1];
        List<ImageSummary> images = jdbc.sql(SUMMARY + " and i.repository = ? order by i.pushed_at desc, i.id desc offset ? limit ?")
                .params(platform.registry(), Images.repositoryOf(service), offset, limit)
                .query((rs, n) -> {
                    ids.add(rs.getLong("id"));
                    total[0] = rs.getInt("total");
                    return summary(rs, List.of());
                }).list();
        Map<Long, List<SourceScan>> scans = scansOf(ids);
        var withScans = new ArrayList<ImageSummary>();
        for (int i = 0; i < images.size(); i++) {
            withScans.add(withScans(images.get(i), scans.getOrDefault(ids.get(i), List.of())));
        }
        return new Page<>(withScans, images.isEmpty() && offset == 0 ? 0 : total[0], offset, limit);
    }

    /**
     * One image with a page of its findings (worst first; each source's kept apart), and the waivers
     * that concern it.
     *
     * @param severities null or empty: all
     * @param fixable    null: all; true: only those with a fix; false: only those without
     */
    @Transactional(readOnly = true)
    public ImageDetail image(String team, String name, String digest, Set<Finding.Severity> severities, Boolean fixable,
                             int offset, int limit) {
        return image(team, name, digest, severities, fixable, FindingOrder.SEVERITY, true, offset, limit);
    }

    /** How an image's findings are ordered (then by id, package and source, so that pages never overlap). */
    public enum FindingOrder {
        SEVERITY("f.severity_rank"), VULNERABILITY("f.vulnerability_id"), PACKAGE("f.package_name");

        private final String column;

        FindingOrder(String column) {
            this.column = column;
        }
    }

    @Transactional(readOnly = true)
    public ImageDetail image(String team, String name, String digest, Set<Finding.Severity> severities, Boolean fixable,
                             FindingOrder order, boolean ascending, int offset, int limit) {
        Service service = catalog.service(team, name);
        checkPage(offset, limit);
        record Found(long id, ImageSummary summary) {
        }
        Found found = jdbc.sql(SUMMARY + " and i.repository = ? and i.digest = ?")
                .params(platform.registry(), Images.repositoryOf(service), digest)
                .query((rs, n) -> new Found(rs.getLong("id"), summary(rs, List.of()))).optional()
                .orElseThrow(() -> new NotFoundException(team + "/" + name + " has no image " + digest + "."));
        ImageSummary image = withScans(found.summary(), scansOf(List.of(found.id())).getOrDefault(found.id(), List.of()));

        Instant now = clock.instant();
        List<Waivers.Waiver> concerning = waivers.ofService(service.id()).stream()
                .filter(w -> w.digest() == null || w.digest().equals(digest))
                .sorted(Comparator.comparing(Waivers.Waiver::grantedAt).reversed()).toList();
        var active = new HashMap<String, UUID>();
        concerning.stream().filter(w -> w.activeAt(now)).forEach(w -> active.putIfAbsent(w.vulnerabilityId(), w.id()));

        var where = new StringBuilder(" where s.image_id = ?");
        var params = new ArrayList<Object>(List.of(found.id()));
        if (severities != null && !severities.isEmpty()) {
            where.append(" and f.severity = any(?)");
            params.add(severities.stream().map(Finding.Severity::id).toArray(String[]::new));
        }
        if (fixable != null) {
            where.append(" and f.fixable = ?");
            params.add(fixable);
        }
        params.add(offset);
        params.add(limit);
        var total = new int[1];
        List<FindingView> findings = jdbc.sql("""
                        select f.vulnerability_id, f.package_name, f.installed_version, f.fixed_version, f.severity, f.fixable,
                               f.status, f.title, f.primary_url, f.target, s.source, count(*) over () as total
                        from findings f join scans s on s.id = f.scan_id""" + where + """

                        order by\s""" + order.column + (ascending ? " asc" : " desc") + """
                        , f.severity_rank, f.vulnerability_id, f.package_name, s.source
                        offset ? limit ?""")
                .params(params)
                .query((rs, n) -> {
                    total[0] = rs.getInt("total");
                    return new FindingView(rs.getString("vulnerability_id"), rs.getString("package_name"),
                            rs.getString("installed_version"), rs.getString("fixed_version"), rs.getString("severity"),
                            rs.getBoolean("fixable"), rs.getString("status"), rs.getString("title"),
                            rs.getString("primary_url"), rs.getString("target"), rs.getString("source"),
                            active.get(rs.getString("vulnerability_id")));
                }).list();
        return new ImageDetail(image, new Page<>(findings, total[0], offset, limit), concerning);
    }

    /**
     * An image of the service's repository with its scan summary, for Slipway's own work (no caller
     * check); empty when there is none of that digest.
     */
    @Transactional(readOnly = true)
    public java.util.Optional<ImageSummary> summaryForSlipway(Service service, String digest) {
        record Found(long id, ImageSummary summary) {
        }
        return jdbc.sql(SUMMARY + " and i.repository = ? and i.digest = ?")
                .params(platform.registry(), Images.repositoryOf(service), digest)
                .query((rs, n) -> new Found(rs.getLong("id"), summary(rs, List.of()))).optional()
                .map(found -> withScans(found.summary(), scansOf(List.of(found.id())).getOrDefault(found.id(), List.of())));
    }

    /** The repositories of the platform's registry that hold an image of this digest. */
    @Transactional(readOnly = true)
    public List<String> repositoriesWith(String digest) {
        currentUser.requireReader();
        return jdbc.sql("select repository from images where registry = ? and digest = ? order by repository")
                .params(platform.registry(), digest).query(String.class).list();
    }

    /** An image in the list across services, with the service that owns it (null: none does). */
    public record ListedImage(String team, String service, ImageSummary image) {
    }

    private static final String OWNER = """
            (select t.name || '/' || s.name from services s join teams t on t.id = s.team_id
             where t.name = split_part(i.repository, '/', 1) and s.name = split_part(i.repository, '/', 2)
               and split_part(i.repository, '/', 3) = '')""";

    /**
     * Every image of the platform's registry, newest first, a page at a time (the list is not counted:
     * a page's cost follows the page, not the registry). Images no service owns are for platform
     * admins only: they are other teams' business until a service claims the repository.
     *
     * @param unowned false: images of services; true: images no service owns (platform admins only)
     */
    @Transactional(readOnly = true)
    public List<ListedImage> all(boolean unowned, int offset, int limit) {
        currentUser.requireReader();
        if (unowned) {
            currentUser.require(dev.slipway.portal.security.Role.PLATFORM_ADMIN);
        }
        checkPage(offset, limit);
        var ids = new ArrayList<Long>();
        var owners = new ArrayList<String>();
        // no count: it would visit every image of the registry; a page reads the newest images in index order
        // until it has its rows, so its cost follows the page, not the registry
        List<ImageSummary> found = jdbc.sql(SUMMARY.replace("count(*) over () as total", OWNER + " as owner")
                        + " and " + OWNER + " is " + (unowned ? "" : "not ") + "null"
                        + " order by i.pushed_at desc, i.id desc offset ? limit ?")
                .params(platform.registry(), offset, limit)
                .query((rs, n) -> {
                    ids.add(rs.getLong("id"));
                    owners.add(rs.getString("owner"));
                    return summary(rs, List.of());
                }).list();
        Map<Long, List<SourceScan>> scans = scansOf(ids);
        var listed = new ArrayList<ListedImage>();
        for (int i = 0; i < found.size(); i++) {
            ImageSummary image = withScans(found.get(i), scans.getOrDefault(ids.get(i), List.of()));
            String owner = owners.get(i);
            listed.add(owner == null ? new ListedImage(null, null, image)
                    : new ListedImage(owner.substring(0, owner.indexOf('/')), owner.substring(owner.indexOf('/') + 1), image));
        }
        return listed;
    }

    private static ImageSummary withScans(ImageSummary image, List<SourceScan> scans) {
        return new ImageSummary(image.reference(), image.digest(), image.tags(), image.mediaType(), image.size(),
                image.pushedAt(), image.deleted(), image.severities(), scans, image.environments());
    }

    /** Each image's newest scan per source (one row per source: a newer one replaced the older). */
    private Map<Long, List<SourceScan>> scansOf(List<Long> imageIds) {
        var scans = new HashMap<Long, List<SourceScan>>();
        if (imageIds.isEmpty()) {
            return scans;
        }
        Instant now = clock.instant();
        jdbc.sql("""
                        select image_id, source, scanned_at, critical, critical_fixable, high, high_fixable, medium,
                               medium_fixable, low, low_fixable, unknown, unknown_fixable
                        from scans where image_id = any(?) order by source""")
                .param(imageIds.toArray(Long[]::new))
                .query(rs -> {
                    Instant scannedAt = rs.getTimestamp("scanned_at").toInstant();
                    scans.computeIfAbsent(rs.getLong("image_id"), k -> new ArrayList<>()).add(new SourceScan(
                            rs.getString("source"), scannedAt, Math.max(0, now.getEpochSecond() - scannedAt.getEpochSecond()),
                            severities(rs)));
                });
        return scans;
    }

    private ImageSummary summary(ResultSet rs, List<SourceScan> scans) throws SQLException {
        Timestamp deleted = rs.getTimestamp("deleted_at");
        var order = environments.all().stream().map(Environment::name).toList();
        List<String> pinned = new ArrayList<>(strings(rs.getArray("environments")));
        pinned.sort(Comparator.comparingInt(order::indexOf));
        return new ImageSummary(rs.getString("registry") + "/" + rs.getString("repository") + "@" + rs.getString("digest"),
                rs.getString("digest"), strings(rs.getArray("tags")), rs.getString("media_type"),
                (Long) rs.getObject("size_bytes"), rs.getTimestamp("pushed_at").toInstant(), deleted != null,
                rs.getBoolean("scanned") ? severities(rs) : null, scans, List.copyOf(pinned));
    }

    private static Map<String, Counts> severities(ResultSet rs) throws SQLException {
        var counts = new LinkedHashMap<String, Counts>();
        for (Finding.Severity severity : Finding.Severity.values()) {
            counts.put(severity.id(), new Counts(rs.getInt(severity.id()), rs.getInt(severity.id() + "_fixable")));
        }
        return counts;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw InvalidInputException.of(offset < 0 ? "offset" : "limit", offset < 0 ? "must not be negative"
                    : "must be between 1 and " + MAX_PAGE);
        }
    }
}
