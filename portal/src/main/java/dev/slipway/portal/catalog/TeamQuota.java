package dev.slipway.portal.catalog;

/**
 * What one team's namespace of a tier may use in total: the ResourceQuota of its namespace bundle.
 * CPU in millicores, memory in MiB.
 */
public record TeamQuota(int requestsCpuMillis, int requestsMemoryMib, int limitsCpuMillis, int limitsMemoryMib,
                        int maxPods) {

    public static final TeamQuota DEFAULT_NONPROD = new TeamQuota(4000, 8192, 8000, 16384, 50);
    public static final TeamQuota DEFAULT_PROD = new TeamQuota(8000, 16384, 16000, 32768, 100);
}
