package dev.slipway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Turns a template, its parameters, the team and service, the environments and the platform's
 * settings into the exact files of the GitOps repository, where {@link GitOpsLayout} says they
 * live. Every file is serialized from a tree or a typed model; no input is ever pasted into YAML.
 */
public final class Renderer {

    public static final int DESCRIPTION_MAX_LENGTH = 2000;
    /** Sequences a shell, Helm's tpl or a CI script could expand; a description never needs them. */
    private static final Pattern EXPANSION = Pattern.compile("\\{\\{|}}|\\$\\{|\\$\\(|`");
    // \\p{Cc} covers C1 controls too: a YAML reader turns U+0085 into a line break
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]|[\\u2028\\u2029\\uFEFF]");
    /** Chart values that may differ between environments; everything else is shared. */
    private static final List<String> PER_ENVIRONMENT = List.of("replicas", "resources", "autoscaling");

    private static final int BUNDLES_KEPT = 4096;

    private final PlatformSettings platform;
    /** A bundle depends on the team and the environment only: every service of the team renders the same. */
    private final Map<BundleKey, ChangeSet.File> bundles = new ConcurrentHashMap<>();

    private final Map<ProjectKey, ChangeSet.File> projects = new ConcurrentHashMap<>();

    private record BundleKey(TeamSpec team, EnvironmentSpec environment) {
    }

    private record ProjectKey(TeamSpec team, String cluster, List<EnvironmentSpec> environments) {
    }

    public Renderer(PlatformSettings platform) {
        this.platform = platform;
    }

    /**
     * @param includeNamespaceBundles whether to add what the team shares: its namespace bundles and
     *                                its AppProject per cluster (the first service of a team brings them)
     * @throws InvalidServiceException naming every field at fault, before anything is rendered
     */
    public Rendering render(Template template, JsonNode parameters, ServiceSpec service, TeamSpec team,
                            List<EnvironmentSpec> environments, boolean includeNamespaceBundles) {
        var violations = new ArrayList<Violation>(checkService(service, environments));
        ObjectNode resolved = null;
        try {
            resolved = template.resolve(parameters);
            violations.addAll(ParameterRules.check(resolved));
        } catch (InvalidServiceException invalid) {
            violations.addAll(invalid.violations());
        }
        if (!violations.isEmpty()) {
            throw new InvalidServiceException(violations);
        }

        String base = GitOpsLayout.serviceDirectory(service.team(), service.name());
        var files = new ArrayList<ChangeSet.File>();
        files.add(new ChangeSet.File(base + "/service.yaml", Yaml.write(serviceDescriptor(template, service, environments))));

        ObjectNode shared = sharedValues(template, resolved, service);
        files.add(new ChangeSet.File(base + "/values.yaml", Yaml.write(shared)));

        var chartValues = new LinkedHashMap<String, ObjectNode>();
        for (EnvironmentSpec environment : environments) {
            ObjectNode own = environmentValues(resolved, service, environment);
            files.add(new ChangeSet.File(GitOpsLayout.environmentValuesPath(service.team(), service.name(),
                    environment.name()), Yaml.write(own)));
            files.add(new ChangeSet.File(applicationPath(service, environment),
                    Yaml.write(application(service, environment))));
            ObjectNode merged = shared.deepCopy();
            Template.merge(merged, own);
            chartValues.put(environment.name(), merged);
        }
        if (includeNamespaceBundles) {
            for (EnvironmentSpec environment : environments) {
                files.add(bundle(team, environment));
            }
            environments.stream().map(EnvironmentSpec::cluster).distinct()
                    .forEach(cluster -> files.add(project(team, cluster, environments)));
        }
        return new Rendering(new ChangeSet(files), chartValues);
    }

    private ChangeSet.File bundle(TeamSpec team, EnvironmentSpec environment) {
        if (bundles.size() >= BUNDLES_KEPT) {
            bundles.clear(); // teams' quotas change: forget what is old rather than grow without end
        }
        return bundles.computeIfAbsent(new BundleKey(team, environment), k -> NamespaceBundle.file(team, environment, platform));
    }

    private ChangeSet.File project(TeamSpec team, String cluster, List<EnvironmentSpec> environments) {
        if (projects.size() >= BUNDLES_KEPT) {
            projects.clear();
        }
        return projects.computeIfAbsent(new ProjectKey(team, cluster, environments),
                k -> TeamProject.file(team, cluster, environments, platform));
    }

    private static String applicationPath(ServiceSpec service, EnvironmentSpec environment) {
        return GitOpsLayout.applicationPath(service.team(), service.name(), environment);
    }

    /** The name and description rules, checked before any rendering. */
    static List<Violation> checkService(ServiceSpec service, List<EnvironmentSpec> environments) {
        var violations = new ArrayList<Violation>();
        String team = service.team() == null ? "" : service.team();
        String name = service.name() == null ? "" : service.name();
        KubernetesNames.dns1123Label(team).forEach(m -> violations.add(new Violation("team", m)));
        KubernetesNames.dns1035Label(name).forEach(m -> violations.add(new Violation("name", m)));
        int longestEnvironment = environments.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        // <team>-<env> names the namespace, <service>-<env> the release instance label: both are 63 at most
        if (violations.isEmpty() && team.length() + 1 + longestEnvironment > KubernetesNames.DNS1123_LABEL_MAX_LENGTH) {
            violations.add(new Violation("team", "is too long for its namespaces: <team>-<environment> must be at most 63 characters"));
        }
        if (violations.isEmpty() && name.length() + 1 + longestEnvironment > KubernetesNames.DNS1123_LABEL_MAX_LENGTH) {
            violations.add(new Violation("name", "must be no more than "
                    + (KubernetesNames.DNS1123_LABEL_MAX_LENGTH - 1 - longestEnvironment)
                    + " characters, so that <name>-<environment> is a valid label value"));
        }
        // Argo CD labels what an Application deploys with its name: <team>-<service>-<env> is a label value too
        if (violations.isEmpty() && team.length() + name.length() + 2 + longestEnvironment > KubernetesNames.DNS1123_LABEL_MAX_LENGTH) {
            violations.add(new Violation("name", "must be no more than "
                    + (KubernetesNames.DNS1123_LABEL_MAX_LENGTH - 2 - longestEnvironment - team.length())
                    + " characters in team " + team + ", so that <team>-<name>-<environment> (the Argo CD application)"
                    + " is a valid label value"));
        }
        String description = service.description() == null ? "" : service.description();
        if (description.length() > DESCRIPTION_MAX_LENGTH) {
            violations.add(new Violation("description", "must be no more than " + DESCRIPTION_MAX_LENGTH + " characters"));
        }
        if (CONTROL.matcher(description).find()) {
            violations.add(new Violation("description", "must not contain control characters (newlines and tabs are fine)"));
        }
        if (EXPANSION.matcher(description).find()) {
            violations.add(new Violation("description",
                    "must not contain template or shell expansions such as {{ }}, ${ }, $( ) or backticks"));
        }
        return violations;
    }

    private Map<String, Object> serviceDescriptor(Template template, ServiceSpec service, List<EnvironmentSpec> environments) {
        var metadata = new LinkedHashMap<String, Object>();
        metadata.put("name", service.name());
        metadata.put("team", service.team());
        var spec = new LinkedHashMap<String, Object>();
        spec.put("owner", service.team());
        spec.put("description", service.description() == null ? "" : service.description());
        spec.put("template", Map.of("id", template.id(), "version", template.version()));
        spec.put("chart", template.chart());
        spec.put("image", Map.of("repository", imageRepository(service)));
        spec.put("environments", environments.stream().map(EnvironmentSpec::name).toList());
        var descriptor = new LinkedHashMap<String, Object>();
        descriptor.put("apiVersion", "slipway.dev/v1");
        descriptor.put("kind", "Service");
        descriptor.put("metadata", metadata);
        descriptor.put("spec", spec);
        return descriptor;
    }

    private ObjectNode sharedValues(Template template, ObjectNode parameters, ServiceSpec service) {
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        values.put("team", service.team());
        values.put("service", service.name());
        Template.merge(values, template.values());
        ObjectNode shared = parameters.deepCopy();
        PER_ENVIRONMENT.forEach(shared::remove);
        Template.merge(values, shared);
        values.putObject("image").put("repository", imageRepository(service));
        if (values.path("keyVault").path("enabled").asBoolean(false)) {
            ((ObjectNode) values.get("keyVault")).put("tenantId", platform.tenantId());
        }
        return values;
    }

    private ObjectNode environmentValues(ObjectNode parameters, ServiceSpec service, EnvironmentSpec environment) {
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        values.put("environment", environment.name());
        for (String key : PER_ENVIRONMENT) {
            if (parameters.has(key)) {
                values.set(key, parameters.get(key).deepCopy());
            }
        }
        if (parameters.path("ingress").path("enabled").asBoolean(false)) {
            values.putObject("ingress").put("host", ingressHost(service, environment));
        }
        return values;
    }

    public String ingressHost(ServiceSpec service, EnvironmentSpec environment) {
        return environment.production()
                ? service.name() + "." + service.team() + "." + platform.ingressDomain()
                : service.name() + "." + service.team() + "." + environment.name() + "." + platform.ingressDomain();
    }

    public String imageRepository(ServiceSpec service) {
        return platform.registry() + "/" + service.team() + "/" + service.name();
    }

    private GenericKubernetesResource application(ServiceSpec service, EnvironmentSpec environment) {
        String base = GitOpsLayout.serviceDirectory(service.team(), service.name());
        var helm = new LinkedHashMap<String, Object>();
        helm.put("releaseName", service.name());
        helm.put("valueFiles", List.of("$values/" + base + "/values.yaml",
                "$values/" + GitOpsLayout.environmentValuesPath(service.team(), service.name(), environment.name())));
        var chartSource = new LinkedHashMap<String, Object>();
        if (platform.chartInOciRegistry()) {
            // Argo CD's Helm source over OCI: the registry and path without the scheme, the chart by name
            chartSource.put("repoURL", platform.chartSourceRepo());
            chartSource.put("chart", platform.chartName());
        } else {
            chartSource.put("repoURL", platform.chartSourceRepo());
            chartSource.put("path", platform.chartPath());
        }
        chartSource.put("targetRevision", platform.chartRevision());
        chartSource.put("helm", helm);
        var valuesSource = new LinkedHashMap<String, Object>();
        valuesSource.put("repoURL", platform.gitopsRepoUrl());
        valuesSource.put("targetRevision", platform.gitopsRevision());
        valuesSource.put("ref", "values");

        var spec = new LinkedHashMap<String, Object>();
        spec.put("project", GitOpsLayout.projectName(service.team()));
        spec.put("destination", Map.of("server", platform.serverOf(environment.cluster()),
                "namespace", environment.namespaceOf(service.team())));
        spec.put("sources", List.of(chartSource, valuesSource));
        spec.put("syncPolicy", Map.of(
                "automated", Map.of("prune", true, "selfHeal", true),
                // the namespace comes from the team's namespace bundle, never from the application
                "syncOptions", List.of("CreateNamespace=false")));

        var labels = new LinkedHashMap<String, String>();
        labels.put("app.kubernetes.io/managed-by", "slipway");
        labels.put("slipway.dev/team", service.team());
        labels.put("slipway.dev/service", service.name());
        labels.put("slipway.dev/environment", environment.name());
        var application = new GenericKubernetesResource();
        application.setApiVersion("argoproj.io/v1alpha1");
        application.setKind("Application");
        application.setMetadata(new ObjectMetaBuilder()
                .withName(GitOpsLayout.applicationName(service.team(), service.name(), environment.name()))
                .withNamespace(platform.argoNamespace())
                .withLabels(labels)
                // deleting the application removes what it deployed
                .withFinalizers("resources-finalizer.argocd.argoproj.io")
                .build());
        application.setAdditionalProperty("spec", spec);
        return application;
    }
}
