package dev.slipway.portal.cluster;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code slipway.clusters.<name>}: the clusters Slipway watches (read-only) and how to reach each.
 * None configured: nothing is watched, and every environment's status is {@code unknown}.
 */
@ConfigurationProperties("slipway")
public record ClustersProperties(Map<String, Cluster> clusters) {

    public ClustersProperties {
        clusters = clusters == null ? Map.of() : Map.copyOf(clusters);
    }

    /**
     * @param kubeconfig   a kubeconfig file (with {@code context}, or its current context)
     * @param context      the kubeconfig's context to use
     * @param inCluster    the pod's own service account (Slipway running in this cluster)
     * @param environments the environments it hosts, as a check: {@code slipway.environments} says where each
     *                     environment runs, and Slipway does not start when the two disagree
     * @param entraId      AKS with Entra ID: a token from {@code DefaultAzureCredential} for the AKS server
     *                     application; the server and its CA come from {@code server} and
     *                     {@code certificateAuthorityData}, or from the kubeconfig's cluster (its user is
     *                     not used, so no kubelogin is needed)
     * @param server       the API server's URL (with {@code entraId})
     * @param certificateAuthorityData the API server's CA, base64 PEM as in a kubeconfig (with {@code server})
     * @param entraScope   the scope asked for (default: the AKS server application's)
     */
    public record Cluster(String kubeconfig, String context, Boolean inCluster, List<String> environments,
                          Boolean entraId, String server, String certificateAuthorityData, String entraScope) {
        public Cluster {
            inCluster = inCluster != null && inCluster;
            entraId = entraId != null && entraId;
            environments = environments == null ? List.of() : List.copyOf(environments);
            boolean hasKubeconfig = kubeconfig != null && !kubeconfig.isBlank();
            boolean hasServer = server != null && !server.isBlank();
            if (!inCluster && !hasKubeconfig && !(entraId && hasServer)) {
                throw new IllegalArgumentException(
                        "slipway.clusters: a cluster needs a kubeconfig, in-cluster: true, or entra-id: true with a server");
            }
            if (inCluster && entraId) {
                throw new IllegalArgumentException("slipway.clusters: in-cluster and entra-id are two ways to connect: choose one");
            }
        }

        public Cluster(String kubeconfig, String context, Boolean inCluster, List<String> environments) {
            this(kubeconfig, context, inCluster, environments, null, null, null, null);
        }
    }
}
