package dev.slipway.portal.registry;

import dev.slipway.gitops.FileWrite;
import dev.slipway.portal.catalog.Service;
import dev.slipway.templates.GitOpsLayout;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The image each environment of a service is to run, for features that move it on purpose (a
 * promotion, a rollback), and whether an environment still follows new pushes. A rollback of a
 * following environment pauses it: a newer push must not undo the rollback (argocd-image-updater#1249);
 * a promotion forward again resumes it.
 */
@Component
public class EnvironmentPins {

    private final JdbcClient jdbc;

    EnvironmentPins(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The values file write that makes an environment run an image, by digest (merged into the file on the branch). */
    public static FileWrite valuesWrite(Service service, String environment, String tag, String digest) {
        return new FileWrite(GitOpsLayout.environmentValuesPath(service.team(), service.name(), environment),
                Following.patch(new Following.Pushed("", "", digest, tag, Instant.EPOCH)), FileWrite.Mode.MERGE);
    }

    /**
     * Records that the environment is to run this image from now on (whatever it ran before), in the
     * caller's transaction: the change that writes it is {@code changeId}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void pin(Service service, String environment, ImageReference image, String tag, Instant pushedAt,
                    UUID changeId, String actor) {
        jdbc.sql("""
                        insert into environment_images (service_id, environment, registry, repository, digest, tag,
                                                        pushed_at, change_id, pinned_by)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (service_id, environment) do update set
                            registry = excluded.registry, repository = excluded.repository, digest = excluded.digest,
                            tag = excluded.tag, pushed_at = excluded.pushed_at, change_id = excluded.change_id,
                            pinned_by = excluded.pinned_by, pinned_at = now()""")
                .params(service.id(), environment, image.registry(), image.repository(), image.digest(), tag,
                        Timestamp.from(pushedAt), changeId, actor)
                .update();
    }

    /** Stops the environment following new pushes until {@link #resumeFollowing}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void pauseFollowing(UUID serviceId, String environment, String actor, String reason, Instant at) {
        jdbc.sql("""
                        insert into following_paused (service_id, environment, paused_by, reason, at) values (?, ?, ?, ?, ?)
                        on conflict (service_id, environment) do update set paused_by = excluded.paused_by,
                            reason = excluded.reason, at = excluded.at""")
                .params(serviceId, environment, actor, reason, Timestamp.from(at)).update();
    }

    /** @return whether it was paused */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean resumeFollowing(UUID serviceId, String environment) {
        return jdbc.sql("delete from following_paused where service_id = ? and environment = ?")
                .params(serviceId, environment).update() == 1;
    }
}
