package dev.slipway.portal.catalog;

/** What the services list is narrowed to: a team (exact) and a part of the name; either may be empty. */
public record ServiceFilter(String team, String nameContains) {

    public static final ServiceFilter ALL = new ServiceFilter(null, null);

    public ServiceFilter {
        team = team == null || team.isBlank() ? null : team.trim();
        nameContains = nameContains == null || nameContains.isBlank() ? null : nameContains.trim();
    }
}
