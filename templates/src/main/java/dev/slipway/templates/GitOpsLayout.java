package dev.slipway.templates;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where each file lives in the GitOps repository. No directory grows with the whole platform: a
 * cluster's Applications are grouped by team, and what a team shares (its namespace bundles, its
 * Argo CD project) is one file per team.
 * <pre>
 * services/&lt;team&gt;/&lt;service&gt;/service.yaml                 owner, template, image repository
 * services/&lt;team&gt;/&lt;service&gt;/values.yaml                  chart values shared by every environment
 * services/&lt;team&gt;/&lt;service&gt;/&lt;env&gt;/values.yaml            environment, replicas, resources, ingress host
 * clusters/&lt;cluster&gt;/apps/&lt;team&gt;/&lt;service&gt;-&lt;env&gt;.yaml    the Argo CD Application &lt;team&gt;-&lt;service&gt;-&lt;env&gt;
 * clusters/&lt;cluster&gt;/projects/&lt;team&gt;.yaml               the team's Argo CD AppProject team-&lt;team&gt;
 * clusters/&lt;cluster&gt;/namespaces/&lt;team&gt;-&lt;env&gt;.yaml         the team's namespace bundle
 * </pre>
 * Environment names hold no hyphen, so {@code <service>-<env>} and {@code <team>-<env>} split one
 * way only: two (team, service, environment) never share a path or a namespace.
 */
public final class GitOpsLayout {

    /** Where Applications lived before they were grouped by team: {@code clusters/<cluster>/apps/<name>.yaml}. */
    private static final Pattern FLAT_APPLICATION = Pattern.compile("clusters/([^/]+)/apps/([^/]+)\\.yaml");

    private GitOpsLayout() {
    }

    public static String serviceDirectory(String team, String service) {
        return "services/" + team + "/" + service;
    }

    /** The values of one environment of a service: replicas, resources, and the image it runs. */
    public static String environmentValuesPath(String team, String service, String environment) {
        return serviceDirectory(team, service) + "/" + environment + "/values.yaml";
    }

    public static String applicationPath(String team, String service, EnvironmentSpec environment) {
        return applicationPath(environment.cluster(), team, service, environment.name());
    }

    public static String applicationPath(String cluster, String team, String service, String environment) {
        return "clusters/" + cluster + "/apps/" + team + "/" + service + "-" + environment + ".yaml";
    }

    /** The Argo CD Application's name; the catalog keeps {@code <team>-<service>} unique across teams. */
    public static String applicationName(String team, String service, String environment) {
        return team + "-" + service + "-" + environment;
    }

    public static String namespacesPath(TeamSpec team, EnvironmentSpec environment) {
        return "clusters/" + environment.cluster() + "/namespaces/" + environment.namespaceOf(team.name()) + ".yaml";
    }

    public static String projectPath(String team, String cluster) {
        return "clusters/" + cluster + "/projects/" + team + ".yaml";
    }

    /** The AppProject's name: prefixed, so that no team's project can be Argo CD's own {@code default}. */
    public static String projectName(String team) {
        return "team-" + team;
    }

    /** A file every service of the team shares (bundles, projects): a service brings it only if it is absent. */
    public static boolean sharedByTeam(String path) {
        return path.startsWith("clusters/") && (path.contains("/namespaces/") || path.contains("/projects/"));
    }

    /** Whether a path is an Application file of the layout before this one. */
    public static boolean isFlatApplication(String path) {
        return FLAT_APPLICATION.matcher(path).matches();
    }

    /** The cluster of an Application file in the layout before this one, or empty for any other path. */
    public static Optional<String> flatApplicationCluster(String path) {
        var matcher = FLAT_APPLICATION.matcher(path);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
