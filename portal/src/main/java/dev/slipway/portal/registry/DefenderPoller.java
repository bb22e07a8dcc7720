package dev.slipway.portal.registry;

import com.azure.resourcemanager.resourcegraph.ResourceGraphManager;
import com.azure.resourcemanager.resourcegraph.models.QueryRequest;
import com.azure.resourcemanager.resourcegraph.models.QueryRequestOptions;
import com.azure.resourcemanager.resourcegraph.models.QueryResponse;
import com.azure.resourcemanager.resourcegraph.models.ResultFormat;
import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.database.OncePerInterval;
import dev.slipway.templates.PlatformSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import net.javacrumbs.shedlock.core.LockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Microsoft Defender for Cloud's container image findings from Azure Resource Graph every
 * {@code slipway.scans.defender.poll-interval}, once across replicas: the current individual
 * recommendations and, for tenants that still export them, the grouped sub-assessments. Each image's
 * findings become its Defender scan, replacing the one before. Rows that name no image digest, and
 * digests of images Slipway never recorded, are counted and logged: they are what Microsoft's loosely
 * documented fields did not let Slipway match.
 */
@Component
class DefenderPoller extends OncePerInterval {

    private static final Logger log = LoggerFactory.getLogger(DefenderPoller.class);
    static final String LOCK = "defender-poller";
    private static final int PAGE = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Individual recommendations of software updates that name an image digest somewhere. */
    static final String INDIVIDUAL = """
            securityresources
            | where type =~ 'microsoft.security/assessments'
            | where tostring(properties.metadata.categories) has 'SoftwareUpdate' or properties.metadata.category =~ 'SoftwareUpdate'
            | where tostring(properties.resourceDetails) has 'sha256:' or tostring(properties.additionalData) has 'sha256:'
            | where properties.status.code !~ 'Healthy'
            | project id, name, type, properties""";

    /** The retired grouped sub-assessments, MDVM's and Qualys's. */
    static final String GROUPED = """
            securityresources
            | where type =~ 'microsoft.security/assessments/subassessments'
            | where properties.additionalData.assessedResourceType in~ ('AzureContainerRegistryVulnerability', 'ContainerRegistryVulnerability')
            | where properties.status.code !~ 'Healthy'
            | project id, name, type, properties""";

    /** What a round did. */
    record Round(int rows, int images, int namingNoImage, List<String> unknownImages) {
    }

    private final Supplier<ResourceGraphManager> graphs;
    private final Scans scans;
    private final Images images;
    private final JdbcClient jdbc;
    private final PlatformSettings platform;
    private final Clock clock;

    @Autowired
    DefenderPoller(ObjectProvider<ResourceGraphManager> graphs, Scans scans, Images images, JdbcClient jdbc,
                   PlatformSettings platform, ScansProperties properties, Environment environment, LockProvider locks,
                   Clock clock) {
        this(graphs::getObject, scans, images, jdbc, platform, properties, environment, locks, clock);
    }

    DefenderPoller(Supplier<ResourceGraphManager> graphs, Scans scans, Images images, JdbcClient jdbc,
                   PlatformSettings platform, ScansProperties properties, Environment environment, LockProvider locks,
                   Clock clock) {
        super(LOCK, properties.defender().pollInterval(), locks, clock, properties.defender().enabled() != null
                ? properties.defender().enabled() : environment.acceptsProfiles(Profiles.of("azure")));
        this.graphs = graphs;
        this.scans = scans;
        this.images = images;
        this.jdbc = jdbc;
        this.platform = platform;
        this.clock = clock;
    }

    Round poll() {
        ResourceGraphManager graph = graphs.get();
        var byImage = new LinkedHashMap<DefenderFinding.Image, List<DefenderFinding>>();
        int rows = 0;
        int namingNoImage = 0;
        for (String query : List.of(INDIVIDUAL, GROUPED)) {
            String skipToken = null;
            do {
                QueryResponse page = graph.resourceProviders().resources(new QueryRequest().withQuery(query)
                        .withOptions(new QueryRequestOptions().withTop(skipToken == null ? PAGE : null)
                                .withSkipToken(skipToken).withResultFormat(ResultFormat.OBJECT_ARRAY)));
                for (JsonNode row : JSON.valueToTree(page.data() == null ? List.of() : page.data())) {
                    rows++;
                    Optional<DefenderFinding> finding = DefenderFinding.of(row);
                    if (finding.isPresent()) {
                        byImage.computeIfAbsent(finding.get().image(), k -> new ArrayList<>()).add(finding.get());
                    } else if (DefenderFinding.namesNoImage(row)) {
                        namingNoImage++;
                    }
                }
                skipToken = page.skipToken();
            } while (skipToken != null && !skipToken.isBlank());
        }
        var unknown = new ArrayList<String>();
        int stored = 0;
        for (Map.Entry<DefenderFinding.Image, List<DefenderFinding>> entry : byImage.entrySet()) {
            Optional<ImageOfRecord> image = resolve(entry.getKey());
            if (image.isEmpty()) {
                unknown.add(describe(entry.getKey()));
                continue;
            }
            Instant scannedAt = entry.getValue().stream().map(DefenderFinding::scannedAt).filter(java.util.Objects::nonNull)
                    .max(Instant::compareTo).orElse(clock.instant());
            try {
                // during Microsoft's transition both models may list a CVE of a package: it counts once
                var distinct = new LinkedHashMap<String, Finding>();
                entry.getValue().forEach(row -> row.findings().forEach(f -> distinct.putIfAbsent(
                        f.vulnerabilityId() + "\u0000" + f.packageName() + "\u0000" + f.installedVersion(), f)));
                scans.replace(image.get().id(), image.get().reference(), Scans.DEFENDER, scannedAt, LOCK, null,
                        sink -> distinct.values().forEach(sink));
                stored++;
            } catch (ConflictException older) {
                log.debug("Defender: {}", older.getMessage()); // the scan stored is newer: Defender reports it again
            }
        }
        if (namingNoImage > 0 || !unknown.isEmpty()) {
            log.warn("Defender for Cloud: {} rows name no image digest Slipway can read; {} images are not in the registry"
                    + " Slipway follows: {}", namingNoImage, unknown.size(), unknown.stream().limit(20).toList());
        }
        log.info("Defender for Cloud polled: {} rows, scans of {} images stored", rows, stored);
        return new Round(rows, stored, namingNoImage, List.copyOf(unknown));
    }

    record ImageOfRecord(long id, ImageReference reference) {
    }

    /**
     * The recorded image a row means: by registry, repository and digest when it names them all;
     * by repository and digest in the platform's registry; else by the digest alone, when exactly
     * one recorded image has it.
     */
    private Optional<ImageOfRecord> resolve(DefenderFinding.Image image) {
        if (image.repository() != null) {
            String registry = image.registry() != null ? image.registry() : platform.registry();
            var reference = new ImageReference(registry, image.repository(), image.digest());
            Optional<Long> id = images.idOf(reference);
            if (id.isPresent()) {
                return Optional.of(new ImageOfRecord(id.get(), reference));
            }
        }
        List<ImageOfRecord> byDigest = jdbc.sql("select id, registry, repository from images where digest = ? limit 2")
                .param(image.digest())
                .query((rs, n) -> new ImageOfRecord(rs.getLong("id"), new ImageReference(rs.getString("registry"),
                        rs.getString("repository"), image.digest()))).list();
        return byDigest.size() == 1 ? Optional.of(byDigest.getFirst()) : Optional.empty();
    }

    private static String describe(DefenderFinding.Image image) {
        return (image.registry() == null ? "?" : image.registry()) + "/"
                + (image.repository() == null ? "?" : image.repository()) + "@" + image.digest();
    }

    boolean pollOnce() {
        return runOnce();
    }

    @Override
    protected Object round() {
        return poll();
    }
}
