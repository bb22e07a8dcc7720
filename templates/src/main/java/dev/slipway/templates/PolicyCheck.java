package dev.slipway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The platform's rules for what reaches a cluster (the AKS reference architecture's practices),
 * applied to rendered Kubernetes objects before anything is written. Returns every violation with
 * the object and field at fault; an empty list means the objects may be written. The portal's
 * preview shows the same list.
 *
 * <p>A rule that relates objects to each other relates a namespace bundle's objects (namespace,
 * quota, limits, network policy) or a chart's (workload, autoscaler, disruption budget), never one
 * of each: the portal judges a chart's objects alone when it reuses a passed check. Keep it so.
 */
public final class PolicyCheck {

    private static final Set<String> LONG_RUNNING = Set.of("Deployment", "StatefulSet", "DaemonSet");

    private final List<String> allowedRegistries;

    public PolicyCheck(List<String> allowedRegistries) {
        this.allowedRegistries = List.copyOf(allowedRegistries);
    }

    /**
     * @param production whether the objects go to a production environment, where images must be
     *                   pinned by digest
     */
    public List<Violation> check(List<JsonNode> objects, boolean production) {
        var violations = new ArrayList<Violation>();
        var disruptionBudgets = new HashSet<String>();
        var autoscaled = new java.util.HashMap<String, Integer>();
        var namespaces = new HashSet<String>();
        var quotas = new HashSet<String>();
        var limitRanges = new HashSet<String>();
        var defaultDeny = new HashSet<String>();
        var teamAccess = new HashSet<String>();
        for (JsonNode object : objects) {
            String kind = object.path("kind").asText();
            String namespace = object.path("metadata").path("namespace").asText("");
            switch (kind) {
                case "PodDisruptionBudget" -> disruptionBudgets.add(
                        object.path("spec").path("selector").path("matchLabels").toString());
                case "HorizontalPodAutoscaler" -> autoscaled.put(object.path("spec").path("scaleTargetRef").path("kind").asText()
                        + "/" + object.path("spec").path("scaleTargetRef").path("name").asText(),
                        object.path("spec").path("minReplicas").asInt(1));
                case "Namespace" -> namespaces.add(object.path("metadata").path("name").asText());
                case "ResourceQuota" -> quotas.add(namespace);
                case "LimitRange" -> limitRanges.add(namespace);
                // the team's own binding (NamespaceBundle's team-edit or team-view) to its Entra ID group
                case "RoleBinding" -> {
                    if (object.path("metadata").path("name").asText().startsWith("team-")
                            && object.path("subjects").toString().contains("\"kind\":\"Group\"")) {
                        teamAccess.add(namespace);
                    }
                }
                case "NetworkPolicy" -> {
                    JsonNode spec = object.path("spec");
                    if (spec.path("podSelector").isEmpty() && spec.path("ingress").isMissingNode()
                            && spec.path("policyTypes").toString().contains("Ingress")) {
                        defaultDeny.add(namespace);
                    }
                }
                case "Secret" -> violations.add(new Violation(where(object),
                        "secrets never go into Git: reference them from Key Vault instead"));
                case "Ingress" -> {
                    if (object.path("spec").path("tls").isEmpty()) {
                        violations.add(new Violation(where(object) + " spec.tls", "an Ingress must terminate TLS"));
                    }
                }
                default -> { }
            }
        }
        for (JsonNode object : objects) {
            String kind = object.path("kind").asText();
            JsonNode podSpec = switch (kind) {
                case "Deployment", "StatefulSet", "DaemonSet", "Job" -> object.path("spec").path("template").path("spec");
                case "CronJob" -> object.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
                case "Pod" -> object.path("spec");
                default -> null;
            };
            if (podSpec == null) {
                continue;
            }
            String podPath = switch (kind) {
                case "CronJob" -> "spec.jobTemplate.spec.template.spec";
                case "Pod" -> "spec";
                default -> "spec.template.spec";
            };
            checkPod(object, podSpec, podPath, LONG_RUNNING.contains(kind), production, violations);
            if (kind.equals("Deployment") || kind.equals("StatefulSet")) {
                checkAvailability(object, autoscaled, disruptionBudgets, violations);
            }
        }
        for (String namespace : namespaces) {
            if (!quotas.contains(namespace)) {
                violations.add(new Violation("Namespace/" + namespace, "needs a ResourceQuota"));
            }
            if (!limitRanges.contains(namespace)) {
                violations.add(new Violation("Namespace/" + namespace, "needs a LimitRange"));
            }
            if (!teamAccess.contains(namespace)) {
                violations.add(new Violation("Namespace/" + namespace, "needs a RoleBinding for its team's Entra ID group"
                        + " (the team has none: give it one, or nobody may use its namespaces)"));
            }
            if (!defaultDeny.contains(namespace)) {
                violations.add(new Violation("Namespace/" + namespace, "needs a default-deny NetworkPolicy"));
            }
        }
        return violations;
    }

    private void checkPod(JsonNode object, JsonNode podSpec, String podPath, boolean longRunning, boolean production,
                          List<Violation> violations) {
        String where = where(object);
        boolean podNonRoot = podSpec.path("securityContext").path("runAsNonRoot").asBoolean(false);
        var containers = new ArrayList<JsonNode>();
        podSpec.path("containers").forEach(containers::add);
        if (containers.isEmpty()) {
            violations.add(new Violation(where + " " + podPath + ".containers", "has no container"));
        }
        for (String list : List.of("initContainers", "containers")) {
            JsonNode all = podSpec.path(list);
            for (int i = 0; i < all.size(); i++) {
                JsonNode container = all.get(i);
                String at = where + " " + podPath + "." + list + "[" + i + "]";
                checkImage(container, at, production, violations);
                if (!"Always".equals(container.path("imagePullPolicy").asText())) {
                    violations.add(new Violation(at + ".imagePullPolicy", "must be Always"));
                }
                JsonNode resources = container.path("resources");
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        if (resources.path(bound).path(resource).asText("").isEmpty()) {
                            violations.add(new Violation(at + ".resources." + bound + "." + resource, "must be set"));
                        }
                    }
                }
                JsonNode security = container.path("securityContext");
                if (!podNonRoot && !security.path("runAsNonRoot").asBoolean(false)) {
                    violations.add(new Violation(at + ".securityContext.runAsNonRoot", "must be true"));
                }
                if (security.path("runAsUser").isNumber() && security.path("runAsUser").asLong() == 0) {
                    violations.add(new Violation(at + ".securityContext.runAsUser", "must not be root (0)"));
                }
                if (security.path("privileged").asBoolean(false)) {
                    violations.add(new Violation(at + ".securityContext.privileged", "must not be true"));
                }
                if (security.path("allowPrivilegeEscalation").asBoolean(true)) {
                    violations.add(new Violation(at + ".securityContext.allowPrivilegeEscalation", "must be false"));
                }
                if (longRunning && list.equals("containers")) {
                    for (String probe : List.of("readinessProbe", "livenessProbe")) {
                        if (container.path(probe).isMissingNode() || container.path(probe).isEmpty()) {
                            violations.add(new Violation(at + "." + probe, "must be set"));
                        }
                    }
                }
            }
        }
    }

    private void checkImage(JsonNode container, String at, boolean production, List<Violation> violations) {
        String image = container.path("image").asText("");
        String field = at + ".image";
        if (image.isEmpty()) {
            violations.add(new Violation(field, "must be set"));
            return;
        }
        if (allowedRegistries.stream().noneMatch(registry -> image.startsWith(registry + "/"))) {
            violations.add(new Violation(field, "must come from " + String.join(" or ", allowedRegistries)));
        }
        int digestAt = image.indexOf('@');
        String nameAndTag = digestAt >= 0 ? image.substring(0, digestAt) : image;
        int lastSlash = nameAndTag.lastIndexOf('/');
        int tagAt = nameAndTag.indexOf(':', lastSlash + 1);
        String tag = tagAt >= 0 ? nameAndTag.substring(tagAt + 1) : "";
        if (digestAt < 0 && tag.isEmpty()) {
            violations.add(new Violation(field, "needs a tag or a digest (no tag means latest)"));
        }
        if (tag.equals("latest")) {
            violations.add(new Violation(field, "must not use the latest tag"));
        }
        if (production && digestAt < 0) {
            violations.add(new Violation(field, "must be pinned by digest in production"));
        }
    }

    private static void checkAvailability(JsonNode workload, java.util.Map<String, Integer> autoscaled,
                                          Set<String> disruptionBudgets, List<Violation> violations) {
        String name = workload.path("metadata").path("name").asText();
        Integer autoscaledFrom = autoscaled.get(workload.path("kind").asText() + "/" + name);
        int replicas = autoscaledFrom != null ? autoscaledFrom : workload.path("spec").path("replicas").asInt(1);
        if (replicas > 1 && autoscaledFrom == null) {
            violations.add(new Violation(where(workload) + " spec.replicas",
                    "more than one replica needs a HorizontalPodAutoscaler"));
        }
        if (replicas > 1) {
            String selector = workload.path("spec").path("selector").path("matchLabels").toString();
            if (!disruptionBudgets.contains(selector)) {
                violations.add(new Violation(where(workload), "more than one replica needs a PodDisruptionBudget"));
            }
        }
    }

    private static String where(JsonNode object) {
        return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
    }
}
