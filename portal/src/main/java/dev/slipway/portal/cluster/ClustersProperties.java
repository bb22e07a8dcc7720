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
     * @param environments the environments it hosts (default: those configured on a cluster of this name)
     */
    public record Cluster(String kubeconfig, String context, Boolean inCluster, List<String> environments) {
        public Cluster {
            inCluster = inCluster != null && inCluster;
            environments = environments == null ? List.of() : List.copyOf(environments);
            if (!inCluster && (kubeconfig == null || kubeconfig.isBlank())) {
                throw new IllegalArgumentException("slipway.clusters: a cluster needs a kubeconfig or in-cluster: true");
            }
        }
    }
}
