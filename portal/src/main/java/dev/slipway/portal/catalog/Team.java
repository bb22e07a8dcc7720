package dev.slipway.portal.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Owners of services; one Entra ID group; a quota per tier of environment. */
public record Team(long id, String name, String displayName, UUID entraGroupId, Map<QuotaTier, TeamQuota> quotas,
                   Instant createdAt) {

    public Team {
        quotas = Map.copyOf(quotas);
    }
}
