package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The ClusterRole Slipway ships grants exactly what its informers read: list and watch, no write. */
class ReaderRoleTest {

    @Test
    void theShippedRoleReadsExactlyTheWatchedKindsAndWritesNothing() throws Exception {
        List<HasMetadata> objects = new KubernetesSerialization().unmarshal(
                Files.newInputStream(Path.of("../deploy/slipway-cluster-reader.yaml")));
        ClusterRole role = objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .findFirst().orElseThrow();
        var granted = new TreeSet<String>();
        for (PolicyRule rule : role.getRules()) {
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
            rule.getApiGroups().forEach(group -> rule.getResources().forEach(resource -> granted.add(group + "/" + resource)));
        }
        // what ClusterWatch informs on
        assertThat(granted).containsExactly("/pods", "apps/deployments", "apps/replicasets");
    }
}
