package dev.slipway.templates;

import java.util.List;
import java.util.Map;

/**
 * What every generated service shares on this platform: where images come from, the ingress
 * domain, where Argo CD finds the chart and the GitOps repository, and the clusters' API servers.
 *
 * @param registry          the container registry new services' images live in, e.g. {@code myacr.azurecr.io}
 * @param allowedRegistries registries images may come from at all (the policy check refuses others)
 * @param ingressDomain     services are reachable at {@code <service>.<team>.<env>.<domain>} ({@code <service>.<team>.<domain>} in prod)
 * @param ingressNamespace  the namespace of the ingress controller, allowed through the default-deny policy
 * @param gitopsRepoUrl     the GitOps repository Argo CD reads values from
 * @param gitopsRevision    its branch
 * @param chartRepoUrl      where Argo CD finds the microservice chart: a Git repository (the GitOps
 *                          repository itself by default, where Slipway publishes its chart), or an
 *                          OCI registry as {@code oci://<registry>/<path>} (e.g. ACR)
 * @param chartPath         the chart's path in that Git repository; in an OCI registry, its last
 *                          segment names the chart ({@code microservice})
 * @param chartRevision     the Git branch or tag; in an OCI registry, the chart's version
 * @param argoNamespace     where Argo CD Applications live
 * @param clusterServers    cluster name to API server URL, as Argo CD knows them
 * @param viewersGroupId    an Entra ID group that may view every team's namespaces (may be null)
 * @param tenantId          the Entra ID tenant (Key Vault access through workload identity)
 */
public record PlatformSettings(String registry, List<String> allowedRegistries, String ingressDomain,
                               String ingressNamespace, String gitopsRepoUrl, String gitopsRevision,
                               String chartRepoUrl, String chartPath, String chartRevision, String argoNamespace,
                               Map<String, String> clusterServers, String viewersGroupId, String tenantId) {

    public PlatformSettings {
        allowedRegistries = allowedRegistries == null || allowedRegistries.isEmpty()
                ? List.of(registry) : List.copyOf(allowedRegistries);
        clusterServers = clusterServers == null ? Map.of() : Map.copyOf(clusterServers);
    }

    /** Argo CD's name for the cluster it runs in. */
    public static final String IN_CLUSTER = "https://kubernetes.default.svc";

    /** Whether the chart is a Helm chart in an OCI registry rather than a directory of a Git repository. */
    public boolean chartInOciRegistry() {
        return chartRepoUrl.startsWith("oci://");
    }

    /** The chart source's {@code repoURL} as Argo CD reads it (an OCI registry's without its scheme). */
    public String chartSourceRepo() {
        return chartInOciRegistry() ? chartRepoUrl.substring("oci://".length()).replaceAll("/+$", "") : chartRepoUrl;
    }

    /** The chart's name in an OCI registry: the last segment of {@code chartPath}. */
    public String chartName() {
        return chartPath.replaceAll("/+$", "").replaceAll(".*/", "");
    }

    public String serverOf(String cluster) {
        return clusterServers.getOrDefault(cluster, IN_CLUSTER);
    }
}
