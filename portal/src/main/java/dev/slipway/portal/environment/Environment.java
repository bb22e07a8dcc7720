package dev.slipway.portal.environment;

/**
 * A stage a service goes through (dev, test, prod…), on a cluster. The tier decides the team's
 * quotas and permissions in its namespaces.
 */
public record Environment(String name, String cluster, Tier tier) {

    public enum Tier { NONPROD, PROD }

    /** The namespace a team's services of this environment run in. */
    public String namespaceOf(String team) {
        return team + "-" + name;
    }
}
