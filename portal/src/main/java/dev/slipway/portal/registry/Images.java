package dev.slipway.portal.registry;

import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.templates.PlatformSettings;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The images the registry reported, by (registry, repository, digest), with their tags. A service
 * owns the images of its repository ({@code <registry>/<team>/<service>}); images of repositories
 * no service has are kept, and belong to a service created for that repository later.
 */
@Component
public class Images {

    /** What an event did. */
    public enum Outcome {
        /** a new image, a tag it did not carry, or an image pushed again after its deletion */
        RECORDED,
        /** deleted */
        DELETED,
        /** known already: a repeat with another id, or older than what is recorded */
        UNCHANGED,
        /** the same event again (the registry retries a delivery) */
        REPLAYED,
        /** not about an image (a chart, a quarantine) */
        IGNORED
    }

    /** What an event did, and the deploys it started (environments that follow the service's images). */
    record Recorded(Outcome outcome, List<ChangeRecord> deploys) {
        static Recorded of(Outcome outcome) {
            return new Recorded(outcome, List.of());
        }
    }

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final PlatformSettings platform;
    private final Following following;

    Images(JdbcClient jdbc, Catalog catalog, PlatformSettings platform, Following following) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.platform = platform;
        this.following = following;
    }

    /**
     * Records one registry event, once: the webhook or the poller authenticated the registry, so it
     * acts for no user. Everything it changes (the image, its tags, the deploys of environments that
     * follow it, their audit entries) is changed in one transaction, or nothing is.
     *
     * @param source who reported it, the deploys' actor: {@code acr-webhook} or {@code acr-poller}
     */
    @Transactional
    Recorded record(RegistryEvent event, String source) {
        int fresh = jdbc.sql("insert into registry_events (event_id, action) values (?, ?) on conflict do nothing")
                .params(event.id(), event.action().name().toLowerCase(java.util.Locale.ROOT)).update();
        if (fresh == 0) {
            return Recorded.of(Outcome.REPLAYED);
        }
        String registry = event.registry() == null ? platform.registry() : event.registry();
        return switch (event.action()) {
            case IGNORED -> Recorded.of(Outcome.IGNORED);
            case PUSH -> push(registry, event, source);
            case DELETE -> Recorded.of(delete(registry, event));
        };
    }

    private Recorded push(String registry, RegistryEvent event, String source) {
        Timestamp at = Timestamp.from(event.timestamp());
        record Row(long id, boolean inserted, boolean alive) {
        }
        Row image = jdbc.sql("""
                        insert into images as i (registry, repository, digest, media_type, size_bytes, pushed_at)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (registry, repository, digest) do update set
                            media_type = coalesce(i.media_type, excluded.media_type),
                            size_bytes = coalesce(i.size_bytes, excluded.size_bytes),
                            pushed_at = least(i.pushed_at, excluded.pushed_at),
                            -- pushed again after its deletion: back; a late event from before it: still deleted
                            deleted_at = case when i.deleted_at < excluded.pushed_at then null else i.deleted_at end
                        returning id, (xmax = 0) as inserted, (deleted_at is null) as alive""")
                .params(registry, event.repository(), event.digest(), event.mediaType(), event.size(), at)
                .query((rs, n) -> new Row(rs.getLong("id"), rs.getBoolean("inserted"), rs.getBoolean("alive")))
                .single();
        if (!image.alive()) {
            return Recorded.of(Outcome.UNCHANGED); // deleted after this push: it stays deleted, and untagged
        }
        // a tag names one image of a repository: a later tagging elsewhere wins over this one
        boolean newerElsewhere = jdbc.sql("""
                        select exists (select 1 from image_tags t join images i on i.id = t.image_id
                                       where i.registry = ? and i.repository = ? and t.tag = ? and i.id <> ?
                                         and t.tagged_at > ?)""")
                .params(registry, event.repository(), event.tag(), image.id(), at).query(Boolean.class).single();
        boolean tagged = false;
        if (!newerElsewhere) {
            jdbc.sql("""
                            delete from image_tags t using images i
                            where i.id = t.image_id and i.registry = ? and i.repository = ? and t.tag = ? and i.id <> ?""")
                    .params(registry, event.repository(), event.tag(), image.id()).update();
            tagged = jdbc.sql("""
                            insert into image_tags (image_id, tag, tagged_at) values (?, ?, ?)
                            on conflict (image_id, tag) do update set tagged_at = greatest(image_tags.tagged_at, excluded.tagged_at)
                            returning (xmax = 0)""")
                    .params(image.id(), event.tag(), at).query(Boolean.class).single();
        }
        if (!image.inserted() && !tagged) {
            return Recorded.of(Outcome.UNCHANGED);
        }
        List<ChangeRecord> deploys = tagged ? owner(registry, event.repository())
                .map(service -> following.follow(service, new Following.Pushed(registry, event.repository(),
                        event.digest(), event.tag(), event.timestamp()), source))
                .orElse(List.of()) : List.of();
        return new Recorded(Outcome.RECORDED, deploys);
    }

    /** The id of a recorded image (deleted or not). */
    java.util.Optional<Long> idOf(ImageReference image) {
        return jdbc.sql("select id from images where registry = ? and repository = ? and digest = ?")
                .params(image.registry(), image.repository(), image.digest()).query(Long.class).optional();
    }

    /** The service whose image repository this is; none for another registry's or an unowned repository. */
    java.util.Optional<Service> owner(String registry, String repository) {
        String[] parts = repository.split("/");
        if (!registry.equals(platform.registry()) || parts.length != 2) {
            return java.util.Optional.empty();
        }
        return catalog.serviceForSlipway(parts[0], parts[1]);
    }

    private Outcome delete(String registry, RegistryEvent event) {
        Timestamp at = Timestamp.from(event.timestamp());
        // an image never seen is recorded as deleted, so that a late push from before cannot bring it in
        int changed = jdbc.sql("""
                        insert into images as i (registry, repository, digest, pushed_at, deleted_at) values (?, ?, ?, ?, ?)
                        on conflict (registry, repository, digest) do update set deleted_at = excluded.deleted_at
                            where i.deleted_at is null and i.pushed_at <= excluded.deleted_at""")
                .params(registry, event.repository(), event.digest(), at, at).update();
        if (changed == 0) {
            return Outcome.UNCHANGED;
        }
        jdbc.sql("delete from image_tags where image_id = (select id from images where registry = ? and repository = ? and digest = ?)")
                .params(registry, event.repository(), event.digest()).update();
        return Outcome.DELETED;
    }

    /** The repository a service's images are pushed to, in the platform's registry (see the renderer). */
    public static String repositoryOf(Service service) {
        return service.team() + "/" + service.name();
    }
}
