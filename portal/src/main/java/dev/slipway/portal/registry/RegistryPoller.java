package dev.slipway.portal.registry;

import com.azure.containers.containerregistry.ContainerRegistryClient;
import com.azure.containers.containerregistry.models.ArtifactManifestOrder;
import com.azure.containers.containerregistry.models.ArtifactManifestProperties;
import com.azure.core.exception.AzureException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.database.OncePerInterval;
import dev.slipway.templates.PlatformSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
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
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the platform's registry itself every {@code slipway.registry.poll-interval}, once across
 * replicas, for the pushes whose webhook event never arrived: each repository's manifests newest
 * first (ACR pages them), down to what the last round read. A tagged manifest is recorded as the
 * push event the webhook would have sent, through the same validation, so a push both report is
 * recorded once and {@code dev} follows it either way (actor {@code acr-poller}).
 */
@Component
class RegistryPoller extends OncePerInterval {

    private static final Logger log = LoggerFactory.getLogger(RegistryPoller.class);
    static final String LOCK = "acr-poller";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a round did. */
    record Round(int repositories, int recorded, int skipped) {
    }

    private final Supplier<ContainerRegistryClient> clients;
    private final Images images;
    private final JdbcClient jdbc;
    private final PlatformSettings platform;

    @Autowired
    RegistryPoller(ObjectProvider<ContainerRegistryClient> clients, Images images, JdbcClient jdbc,
                   PlatformSettings platform, RegistryProperties properties, Environment environment,
                   LockProvider locks, Clock clock) {
        this(clients::getObject, images, jdbc, platform, properties, environment, locks, clock);
    }

    RegistryPoller(Supplier<ContainerRegistryClient> clients, Images images, JdbcClient jdbc,
                   PlatformSettings platform, RegistryProperties properties, Environment environment,
                   LockProvider locks, Clock clock) {
        super(LOCK, properties.pollInterval(), locks, clock, properties.pollEnabled() != null ? properties.pollEnabled()
                : environment.acceptsProfiles(Profiles.of("azure")));
        this.clients = clients;
        this.images = images;
        this.jdbc = jdbc;
        this.platform = platform;
    }

    /** One round over every repository of the registry. */
    Round poll() {
        ContainerRegistryClient client = clients.get();
        String registry = platform.registry();
        int repositories = 0;
        int recorded = 0;
        int skipped = 0;
        for (String repository : client.listRepositoryNames()) {
            repositories++;
            try {
                Instant until = polledUntil(registry, repository).orElse(Instant.MIN);
                List<ArtifactManifestProperties> fresh = new ArrayList<>();
                for (ArtifactManifestProperties manifest : client.getRepository(repository)
                        .listManifestProperties(ArtifactManifestOrder.LAST_UPDATED_ON_DESCENDING)) {
                    if (manifest.getLastUpdatedOn() == null || manifest.getLastUpdatedOn().toInstant().isBefore(until)) {
                        break; // read in an earlier round: so is everything after it
                    }
                    fresh.add(manifest);
                }
                // oldest first, as the pushes happened: an environment that follows ends on the newest
                fresh.sort(Comparator.comparing(ArtifactManifestProperties::getLastUpdatedOn));
                Instant newest = null;
                for (ArtifactManifestProperties manifest : fresh) {
                    for (String tag : manifest.getTags() == null ? List.<String>of() : manifest.getTags()) {
                        try {
                            var outcome = images.record(RegistryEvent.of(event(registry, repository, manifest, tag)),
                                    "acr-poller").outcome();
                            recorded += outcome == Images.Outcome.RECORDED ? 1 : 0;
                        } catch (InvalidInputException invalid) {
                            skipped++;
                            log.warn("Registry {} lists {}:{} as nothing Slipway can record: {}", registry, repository,
                                    tag, invalid.getMessage());
                        }
                    }
                    newest = manifest.getLastUpdatedOn().toInstant();
                }
                if (newest != null) {
                    remember(registry, repository, newest);
                }
            } catch (AzureException unreadable) {
                // deleted meanwhile, or not ours to read: the other repositories still get their round
                skipped++;
                log.warn("Registry {}: repository {} not readable: {}", registry, repository, unreadable.getMessage());
            }
        }
        if (recorded > 0 || skipped > 0) {
            log.info("Registry {} polled: {} repositories, {} pushes the webhook had not delivered, {} skipped",
                    registry, repositories, recorded, skipped);
        }
        return new Round(repositories, recorded, skipped);
    }

    /** The push event the webhook sends for this tag, with an id made of what it says (so a re-read is a replay). */
    private static ObjectNode event(String registry, String repository, ArtifactManifestProperties manifest, String tag) {
        ObjectNode event = JSON.createObjectNode();
        Instant at = manifest.getLastUpdatedOn().toInstant();
        event.put("id", "acr-poll-" + hash(registry + "/" + repository + "@" + manifest.getDigest() + ":" + tag + "@" + at));
        event.put("action", "push");
        event.put("timestamp", at.toString());
        ObjectNode target = event.putObject("target");
        target.put("repository", repository);
        target.put("digest", manifest.getDigest());
        target.put("tag", tag);
        if (manifest.getSizeInBytes() != null) {
            target.put("size", manifest.getSizeInBytes());
        }
        event.putObject("request").put("host", registry);
        return event;
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Instant> polledUntil(String registry, String repository) {
        return jdbc.sql("select polled_until from registry_polls where registry = ? and repository = ?")
                .params(registry, repository).query(Timestamp.class).optional().map(Timestamp::toInstant);
    }

    private void remember(String registry, String repository, Instant until) {
        jdbc.sql("""
                        insert into registry_polls (registry, repository, polled_until) values (?, ?, ?)
                        on conflict (registry, repository) do update
                            set polled_until = greatest(registry_polls.polled_until, excluded.polled_until), polled_at = now()""")
                .params(registry, repository, Timestamp.from(until)).update();
    }

    boolean pollOnce() {
        return runOnce();
    }

    @Override
    protected Object round() {
        return poll();
    }
}
