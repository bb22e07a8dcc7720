package dev.slipway.portal.cluster;

import java.util.Map;

/**
 * Clusters that exist only while Slipway runs (local mode's sandbox), watched exactly as the
 * configured ones are: through a kubeconfig.
 */
public interface ClusterSource {

    /** Called once, when watching starts: the clusters by name, and how to reach each. */
    Map<String, ClustersProperties.Cluster> clusters();
}
