package dev.slipway.portal.catalog;

import java.util.Map;
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

    private final CatalogRepository repository;

    LocalTeams(CatalogRepository repository) {
        this.repository = repository;
    }

    @EventListener(ApplicationStartedEvent.class)
    @Transactional
    public void seed() {
        var quotas = Map.of(QuotaTier.NONPROD, TeamQuota.DEFAULT_NONPROD, QuotaTier.PROD, TeamQuota.DEFAULT_PROD);
        for (var team : Map.of("payments", "Payments", "search", "Search").entrySet()) {
            if (repository.insertTeamIfAbsent(team.getKey(), team.getValue(), null, quotas)) {
                log.info("Local mode: created team {}", team.getKey());
            }
        }
    }
}
