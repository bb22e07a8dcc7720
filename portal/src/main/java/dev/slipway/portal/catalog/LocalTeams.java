package dev.slipway.portal.catalog;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Local mode starts with the teams the local users belong to, so that Slipway can be tried at
 * once. Existing teams are left as they are: a restart never overwrites what an admin changed.
 */
@Component
@Profile("!azure")
class LocalTeams {

    private static final Logger log = LoggerFactory.getLogger(LocalTeams.class);

    /** Placeholder Entra ID group object ids of the local teams (no such groups exist: local sign-in needs none). */
    static final UUID PAYMENTS_GROUP = UUID.fromString("5a1b0a7e-0000-4000-8000-00000000a001");
    static final UUID SEARCH_GROUP = UUID.fromString("5a1b0a7e-0000-4000-8000-00000000a002");

    private record Seed(String name, String displayName, UUID group) {
    }

    private final CatalogRepository repository;

    LocalTeams(CatalogRepository repository) {
        this.repository = repository;
    }

    @EventListener(ApplicationStartedEvent.class)
    @Transactional
    public void seed() {
        var quotas = Map.of(QuotaTier.NONPROD, TeamQuota.DEFAULT_NONPROD, QuotaTier.PROD, TeamQuota.DEFAULT_PROD);
        for (var team : List.of(new Seed("payments", "Payments", PAYMENTS_GROUP), new Seed("search", "Search", SEARCH_GROUP))) {
            if (repository.seedTeam(team.name(), team.displayName(), team.group(), quotas)) {
                log.info("Local mode: created team {}", team.name());
            } else if (repository.giveGroupIfNone(team.name(), team.group())) {
                // seeded before teams had groups here: their namespaces need the team's RoleBinding
                log.info("Local mode: team {} gets the placeholder Entra ID group {}", team.name(), team.group());
            }
        }
    }
}
