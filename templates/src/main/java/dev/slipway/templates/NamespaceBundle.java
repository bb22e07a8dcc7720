package dev.slipway.templates;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A team's namespace in one environment, and its guard rails: quota and container defaults from
 * the team's quota for the tier, the team's Entra ID group bound to {@code edit} (non-prod) or
 * {@code view} (prod), platform viewers bound to {@code view}, and a default-deny network policy
 * that lets in only the ingress controller and the namespace's own pods.
 */
public final class NamespaceBundle {

    private NamespaceBundle() {
    }

    public static String path(TeamSpec team, EnvironmentSpec environment) {
        return GitOpsLayout.namespacesPath(team, environment);
    }

    public static ChangeSet.File file(TeamSpec team, EnvironmentSpec environment, PlatformSettings platform) {
        return new ChangeSet.File(path(team, environment), Yaml.writeAll(objects(team, environment, platform)));
    }

    public static List<HasMetadata> objects(TeamSpec team, EnvironmentSpec environment, PlatformSettings platform) {
        String namespace = environment.namespaceOf(team.name());
        Map<String, String> labels = labels(team, environment);
        var objects = new ArrayList<HasMetadata>();

        var namespaceLabels = new LinkedHashMap<>(labels);
        // the generated workloads meet the restricted Pod Security Standard; enforce it for everything else too
        namespaceLabels.put("pod-security.kubernetes.io/enforce", "restricted");
        namespaceLabels.put("pod-security.kubernetes.io/enforce-version", "latest");
        objects.add(new NamespaceBuilder().withNewMetadata().withName(namespace).withLabels(namespaceLabels)
                .endMetadata().build());

        TeamSpec.Quota quota = team.quotaFor(environment);
        objects.add(new ResourceQuotaBuilder()
                .withNewMetadata().withName("team-quota").withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withHard(Map.of(
                        "requests.cpu", millicores(quota.requestsCpuMillis()),
                        "requests.memory", mebibytes(quota.requestsMemoryMib()),
                        "limits.cpu", millicores(quota.limitsCpuMillis()),
                        "limits.memory", mebibytes(quota.limitsMemoryMib()),
                        "pods", new Quantity(Integer.toString(quota.maxPods()))))
                .endSpec().build());

        // containers that state nothing still get requests and limits, so the quota can admit them
        objects.add(new LimitRangeBuilder()
                .withNewMetadata().withName("container-defaults").withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().addNewLimit()
                .withType("Container")
                .withDefaultRequest(Map.of("cpu", millicores(100), "memory", mebibytes(128)))
                .withDefault(Map.of("cpu", millicores(500), "memory", mebibytes(256)))
                .withMax(Map.of("cpu", millicores(environment.production() ? 8000 : 4000),
                        "memory", mebibytes(environment.production() ? 16384 : 8192)))
                .endLimit().endSpec().build());

        if (team.entraGroupId() != null && !team.entraGroupId().isBlank()) {
            String role = environment.production() ? "view" : "edit";
            objects.add(groupBinding("team-" + role, namespace, labels, team.entraGroupId(), role));
        }
        if (platform.viewersGroupId() != null && !platform.viewersGroupId().isBlank()) {
            objects.add(groupBinding("platform-viewers", namespace, labels, platform.viewersGroupId(), "view"));
        }

        objects.add(new NetworkPolicyBuilder()
                .withNewMetadata().withName("default-deny-ingress").withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build());
        objects.add(new NetworkPolicyBuilder()
                .withNewMetadata().withName("allow-from-ingress-controller").withNamespace(namespace).withLabels(labels)
                .endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withNewNamespaceSelector()
                .addToMatchLabels("kubernetes.io/metadata.name", platform.ingressNamespace())
                .endNamespaceSelector().endFrom().endIngress()
                .endSpec().build());
        objects.add(new NetworkPolicyBuilder()
                .withNewMetadata().withName("allow-within-namespace").withNamespace(namespace).withLabels(labels)
                .endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withNewPodSelector().endPodSelector().endFrom().endIngress()
                .endSpec().build());
        return objects;
    }

    private static HasMetadata groupBinding(String name, String namespace, Map<String, String> labels, String groupId,
                                            String clusterRole) {
        return new RoleBindingBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                // AKS with Entra ID integration names groups by their object id
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName(groupId).endSubject()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(clusterRole)
                .endRoleRef()
                .build();
    }

    static Map<String, String> labels(TeamSpec team, EnvironmentSpec environment) {
        var labels = new LinkedHashMap<String, String>();
        labels.put("app.kubernetes.io/managed-by", "slipway");
        labels.put("slipway.dev/team", team.name());
        labels.put("slipway.dev/environment", environment.name());
        return labels;
    }

    private static Quantity millicores(int millis) {
        return millis % 1000 == 0 ? new Quantity(Integer.toString(millis / 1000)) : new Quantity(millis + "m");
    }

    private static Quantity mebibytes(int mib) {
        return mib % 1024 == 0 ? new Quantity((mib / 1024) + "Gi") : new Quantity(mib + "Mi");
    }
}
