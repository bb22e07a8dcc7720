package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.environment.Environments;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ClusterRole Slipway ships grants exactly what its informers ask a cluster for (as recorded by
 * the API server they talk to): get, list and watch, no write.
 */
@EnableKubernetesMockClient(crud = true)
class ReaderRoleTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    // /api/v1/pods, /apis/apps/v1/deployments, /apis/argoproj.io/v1alpha1/applications (any namespace)
    private static final Pattern RESOURCE = Pattern.compile("^/(?:api/v1|apis/([^/]+)/[^/]+)/([a-z]+)(?:\\?.*)?$");

    @Test
    void theShippedRoleGrantsExactlyWhatTheInformersReadAndWritesNothing() throws Exception {
        ArgoCdCrd.install(client);
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // the test's own set-up is not Slipway's
        }
        var watch = new ClusterWatch("nonprod", client, new StatusModel(new Environments(null), Clock.systemUTC()));
        watch.start().get(10, TimeUnit.SECONDS);
        var read = new TreeSet<String>();
        for (RecordedRequest request; (request = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null; ) {
            assertThat(request.getMethod()).as(request.getPath()).isEqualTo("GET");
            Matcher resource = RESOURCE.matcher(request.getPath());
            if (resource.matches()) {
                read.add((resource.group(1) == null ? "" : resource.group(1)) + "/" + resource.group(2));
            }
        }
        watch.close();
        assertThat(read).contains("argoproj.io/applications", "batch/cronjobs", "/pods");

        List<HasMetadata> objects = new KubernetesSerialization().unmarshal(
                Files.newInputStream(Path.of("../deploy/slipway-cluster-reader.yaml")));
        ClusterRole role = objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .findFirst().orElseThrow();
        var granted = new TreeSet<String>();
        for (PolicyRule rule : role.getRules()) {
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
            rule.getApiGroups().forEach(group -> rule.getResources().forEach(resource -> granted.add(group + "/" + resource)));
        }
        assertThat(granted).isEqualTo(read);
    }
}
