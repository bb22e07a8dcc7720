package dev.slipway.templates;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A team's Argo CD AppProject on one cluster: its Applications may take sources only from the
 * GitOps and chart repositories, deploy only into the team's own namespaces on that cluster, create
 * nothing cluster-wide, and leave alone the guard rails the namespace bundle sets (quota, limit
 * range, network policies, role bindings). The team's Entra ID group may see and sync its own
 * Applications in Argo CD (syncing applies what Git holds, nothing else).
 */
public final class TeamProject {

    /** Kinds only the namespace bundle writes: an Application of the team may not touch them. */
    private static final List<Map<String, String>> GUARD_RAILS = List.of(
            Map.of("group", "", "kind", "ResourceQuota"),
            Map.of("group", "", "kind", "LimitRange"),
            Map.of("group", "networking.k8s.io", "kind", "NetworkPolicy"),
            Map.of("group", "rbac.authorization.k8s.io", "kind", "Role"),
            Map.of("group", "rbac.authorization.k8s.io", "kind", "RoleBinding"));

    private TeamProject() {
    }

    /** @param environments the environments the cluster hosts */
    public static ChangeSet.File file(TeamSpec team, String cluster, List<EnvironmentSpec> environments,
                                      PlatformSettings platform) {
        return new ChangeSet.File(GitOpsLayout.projectPath(team.name(), cluster),
                Yaml.write(project(team, cluster, environments, platform)));
    }

    static GenericKubernetesResource project(TeamSpec team, String cluster, List<EnvironmentSpec> environments,
                                             PlatformSettings platform) {
        String name = GitOpsLayout.projectName(team.name());
        var spec = new LinkedHashMap<String, Object>();
        spec.put("description", "Services of team " + team.name() + " on cluster " + cluster + " (written by Slipway)");
        spec.put("sourceRepos", List.of(platform.gitopsRepoUrl(), platform.chartSourceRepo()).stream().distinct().toList());
        spec.put("destinations", environments.stream()
                .filter(e -> e.cluster().equals(cluster))
                .map(e -> Map.of("server", platform.serverOf(cluster), "namespace", e.namespaceOf(team.name())))
                .toList());
        // an empty list allows no cluster-scoped kind at all: namespaces come from the team's bundle
        spec.put("clusterResourceWhitelist", List.of());
        spec.put("namespaceResourceBlacklist", GUARD_RAILS);
        if (team.entraGroupId() != null && !team.entraGroupId().isBlank()) {
            String role = "proj:" + name + ":team";
            spec.put("roles", List.of(Map.of(
                    "name", "team",
                    "description", "Team " + team.name() + " sees and syncs its own Applications",
                    "groups", List.of(team.entraGroupId()),
                    "policies", List.of(
                            "p, " + role + ", applications, get, " + name + "/*, allow",
                            "p, " + role + ", applications, sync, " + name + "/*, allow"))));
        }
        var labels = new LinkedHashMap<String, String>();
        labels.put("app.kubernetes.io/managed-by", "slipway");
        labels.put("slipway.dev/team", team.name());
        var project = new GenericKubernetesResource();
        project.setApiVersion("argoproj.io/v1alpha1");
        project.setKind("AppProject");
        project.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(platform.argoNamespace())
                .withLabels(labels)
                // the root Application applies projects before the Applications that name them (same commit)
                .withAnnotations(Map.of("argocd.argoproj.io/sync-wave", "-1"))
                // Argo CD keeps a project while Applications still use it
                .withFinalizers("resources-finalizer.argocd.argoproj.io")
                .build());
        project.setAdditionalProperty("spec", spec);
        return project;
    }
}
