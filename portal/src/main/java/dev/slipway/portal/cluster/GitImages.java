package dev.slipway.portal.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.gitops.GitOpsWriter;
import dev.slipway.gitops.ReadCommand;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.portal.gitops.ChangeBroadcaster;
import dev.slipway.portal.gitops.ChangeState;
import dev.slipway.templates.Yaml;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * What the GitOps repository's branch asks each service environment to run: {@code image.tag} and
 * {@code image.digest} of {@code services/<team>/<service>/<env>/values.yaml}. Read when Slipway's
 * own changes land (committed or merged) and every {@code slipway.status.git-refresh} for edits made
 * outside Slipway; the tree is walked only when the branch moved.
 */
@Component
class GitImages implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GitImages.class);
    private static final Pattern VALUES = Pattern.compile("services/([^/]+)/([^/]+)/([^/]+)/values\\.yaml");

    private final GitOpsWriter writer;
    private final ChangeBroadcaster changes;
    private final StatusModel model;
    private final StatusProperties properties;
    private final Set<String> environments;
    private final AtomicBoolean queued = new AtomicBoolean();
    private ScheduledExecutorService reader;
    private Runnable registration;
    private volatile String readAt;
    private volatile boolean running;

    GitImages(GitOpsWriter writer, ChangeBroadcaster changes, StatusModel model, StatusProperties properties,
              Environments environments) {
        this.writer = writer;
        this.changes = changes;
        this.model = model;
        this.properties = properties;
        this.environments = environments.all().stream().map(Environment::name).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void start() {
        running = true;
        reader = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("slipway-git-images").daemon().factory());
        reader.scheduleWithFixedDelay(this::readQuietly, 0, properties.gitRefresh().toMillis(), TimeUnit.MILLISECONDS);
        registration = changes.register(event -> {
            if (event.state() == ChangeState.COMMITTED || event.state() == ChangeState.MERGED) {
                readSoon();
            }
        });
    }

    /** One read for however many changes landed meanwhile. */
    void readSoon() {
        if (running && queued.compareAndSet(false, true)) {
            reader.execute(() -> {
                queued.set(false);
                readQuietly();
            });
        }
    }

    private void readQuietly() {
        try {
            read();
        } catch (RuntimeException unreadable) { // GitOpsUnavailableException among them
            // what was read before stays: a Git outage says nothing about what should run
            log.warn("Cannot read what the GitOps branch asks to run: {}", unreadable.getMessage());
        }
    }

    /** Reads the branch (when it moved) and tells the model what changed. */
    void read() {
        ReadCommand.Snapshot snapshot = writer.read().under("services")
                .matching(path -> VALUES.matcher(path).matches()).snapshot(readAt);
        if (snapshot.unchanged()) {
            return;
        }
        var images = new HashMap<EnvironmentStatus.Key, EnvironmentStatus.GitImage>();
        snapshot.files().forEach((path, content) -> {
            Matcher matcher = VALUES.matcher(path);
            if (matcher.matches() && environments.contains(matcher.group(3))) {
                EnvironmentStatus.GitImage image = image(path, content);
                if (image != null) {
                    images.put(new EnvironmentStatus.Key(matcher.group(1), matcher.group(2), matcher.group(3)), image);
                }
            }
        });
        Map<EnvironmentStatus.Key, EnvironmentStatus.GitImage> before = model.git();
        before.keySet().stream().filter(key -> !images.containsKey(key)).forEach(key -> model.git(key, null));
        images.forEach((key, image) -> {
            if (!image.equals(before.get(key))) {
                model.git(key, image);
            }
        });
        readAt = snapshot.commit();
    }

    /** The image a values file names; null when it names none (a service before its first image). */
    private static EnvironmentStatus.GitImage image(String path, String content) {
        JsonNode values;
        try {
            values = Yaml.read(content);
        } catch (RuntimeException unreadable) {
            log.warn("{} is not YAML that Slipway can read: {}", path, unreadable.getMessage());
            return null;
        }
        JsonNode image = values == null ? null : values.path("image");
        String tag = text(image == null ? null : image.get("tag"));
        String digest = text(image == null ? null : image.get("digest"));
        return tag == null && digest == null ? null : new EnvironmentStatus.GitImage(tag, digest);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }

    @Override
    public void stop() {
        running = false;
        if (registration != null) {
            registration.run();
        }
        if (reader != null) {
            reader.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
