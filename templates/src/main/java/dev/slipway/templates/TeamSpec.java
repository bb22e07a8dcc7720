package dev.slipway.templates;

/**
 * A team as its namespaces need it: its name, its Entra ID group (may be null: nobody is bound
 * then) and its quota per tier.
 */
public record TeamSpec(String name, String entraGroupId, Quota nonprod, Quota prod) {

    /** CPU in millicores, memory in MiB. */
    public record Quota(int requestsCpuMillis, int requestsMemoryMib, int limitsCpuMillis, int limitsMemoryMib,
                        int maxPods) {
    }

    public Quota quotaFor(EnvironmentSpec environment) {
        return environment.production() ? prod : nonprod;
    }
}
