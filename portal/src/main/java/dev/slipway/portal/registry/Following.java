package dev.slipway.portal.registry;

import dev.slipway.gitops.FileWrite;
import dev.slipway.portal.audit.AuditLog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.Changes;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.templates.GitOpsLayout;
import dev.slipway.templates.Yaml;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The environments that follow a service's new images (by default {@code dev}): a pushed image
 * whose tag an environment takes becomes a change that sets the image's tag and digest in that
 * environment's values, merged into the file as the branch has it when the change is committed.
 * An environment never goes back to an image pushed before the one it has, however late the event.
 */
@Component
class Following {

    /** A pushed image, as the registry named it. */
    record Pushed(String registry, String repository, String digest, String tag, Instant pushedAt) {
        String reference() {
            return registry + "/" + repository + "@" + digest;
        }
    }

    // what the chart's values schema takes: an image it would refuse is never deployed
    private static final Pattern DEPLOYABLE_DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern LATEST = Pattern.compile("(?i)latest");

    private final JdbcClient jdbc;
    private final Changes changes;
    private final AuditLog audit;
    private final Environments environments;
    private final RegistryProperties properties;

    Following(JdbcClient jdbc, Changes changes, AuditLog audit, Environments environments, RegistryProperties properties) {
        this.jdbc = jdbc;
        this.changes = changes;
        this.audit = audit;
        this.environments = environments;
        this.properties = properties;
    }

    /**
     * Moves every following environment of the service to the image, in the caller's transaction.
     *
     * @param actor who reported the push: {@code acr-webhook} or {@code acr-poller}
     * @return the changes that will deploy it, one per environment that moves
     */
    @Transactional(propagation = Propagation.MANDATORY)
    List<ChangeRecord> follow(Service service, Pushed image, String actor) {
        var deploys = new ArrayList<ChangeRecord>();
        if (!DEPLOYABLE_DIGEST.matcher(image.digest()).matches() || LATEST.matcher(image.tag()).matches()) {
            return deploys; // a masked example digest, a sha512 one, or latest: nothing the chart runs
        }
        for (Environment environment : environments.all()) {
            if (!properties.followOf(environment.name()).takes(image.tag()) || paused(service, environment)) {
                continue;
            }
            UUID changeId = UUID.randomUUID();
            // the pin decides, under the row's lock: only a newer image of another digest moves the environment
            boolean moves = jdbc.sql("""
                            insert into environment_images as e (service_id, environment, registry, repository, digest, tag,
                                                                 pushed_at, change_id, pinned_by)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            on conflict (service_id, environment) do update set
                                registry = excluded.registry, repository = excluded.repository, digest = excluded.digest,
                                tag = excluded.tag, pushed_at = excluded.pushed_at, change_id = excluded.change_id,
                                pinned_by = excluded.pinned_by, pinned_at = now()
                            where e.pushed_at < excluded.pushed_at and e.digest <> excluded.digest""")
                    .params(service.id(), environment.name(), image.registry(), image.repository(), image.digest(),
                            image.tag(), Timestamp.from(image.pushedAt()), changeId, actor)
                    .update() == 1;
            if (!moves) {
                continue;
            }
            String title = "Deploy " + image.tag() + " (" + shortDigest(image.digest()) + ") to " + environment.name();
            ChangeRecord change = changes.enqueueCommit(changeId, service.id(), title, actor, List.of(new FileWrite(
                    GitOpsLayout.environmentValuesPath(service.team(), service.name(), environment.name()),
                    patch(image), FileWrite.Mode.MERGE)));
            var details = new LinkedHashMap<String, String>();
            details.put("change", change.id().toString());
            details.put("environment", environment.name());
            details.put("image", image.reference());
            details.put("tag", image.tag());
            audit.record(actor, "image.followed", "service/" + service.team() + "/" + service.name(), details);
            deploys.add(change);
        }
        return deploys;
    }

    /** Rolled back: it stays on the rollback's image until someone promotes forward. */
    private boolean paused(Service service, Environment environment) {
        return jdbc.sql("select 1 from following_paused where service_id = ? and environment = ?")
                .params(service.id(), environment.name()).query(Integer.class).optional().isPresent();
    }

    /** The values a deploy merges into an environment's file: the chart runs the image by digest. */
    static String patch(Pushed image) {
        return Yaml.write(Map.of("image", Map.of("tag", image.tag(), "digest", image.digest())));
    }

    /** {@code sha256:3f1c…}: enough to tell images apart in a title; the values hold all of it. */
    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.substring(0, Math.min(digest.length(), colon + 5)) + "…";
    }
}
