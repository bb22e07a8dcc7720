package dev.slipway.portal.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.gitops.GitOpsWriter;
import dev.slipway.portal.database.DataDirectory;
import dev.slipway.templates.PlatformSettings;
import dev.slipway.templates.Yaml;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The sandbox's Argo CD: it fetches the GitOps repository's branch (from the remote, as Argo CD
 * does), and for every Application under {@code clusters/<cluster>/apps/} renders its chart with
 * its value files and applies the objects to that cluster's sandbox API: created, updated, and
 * pruned when the Application no longer renders them (or is gone). Namespaces come from
 * {@code clusters/<cluster>/namespaces/}. It sets each Application's status as Argo CD would, and
 * hands each Deployment to the sandbox's kubelet.
 */
@Component
@ConditionalOnBean(SandboxClusters.class)
class SyncAgent implements SmartLifecycle {

    static final String TRACKING = "argocd.argoproj.io/tracking-id";
    static final String APPLIED = "slipway.dev/sandbox-applied";
    private static final Logger log = LoggerFactory.getLogger(SyncAgent.class);
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    private static final Duration POLL = Duration.ofMillis(500);

    private final SandboxClusters clusters;
    private final GitOpsWriter writer;
    private final PlatformSettings platform;
    private final SandboxProperties properties;
    private final Path clone;
    private final Clock clock;
    private final Map<String, SandboxKubelet> kubelets = new HashMap<>();
    // <cluster>/<application> (or <cluster>/<namespaces file>) -> the inputs it was last applied from
    private final Map<String, String> rendered = new HashMap<>();
    // <cluster>/<path> -> an Application file as last parsed, by its blob
    private final Map<String, Parsed> applications = new HashMap<>();
    // <cluster>/<application> -> a rollout whose end the Application's health waits for
    private final Map<String, Rollout> rollouts = new HashMap<>();
    private ScheduledExecutorService executor;
    private ObjectId synced;

    SyncAgent(SandboxClusters clusters, GitOpsWriter writer, PlatformSettings platform, SandboxProperties properties,
              DataDirectory data, Clock clock) {
        this.clusters = clusters;
        this.writer = writer;
        this.platform = platform;
        this.properties = properties;
        this.clone = data.resolve("sandbox").resolve("gitops.git");
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sandbox-sync-agent").daemon().factory());
        for (String cluster : clusters.names()) {
            kubelets.put(cluster, new SandboxKubelet(clusters.client(cluster), properties.readyAfter(), executor, clock));
        }
        executor.scheduleWithFixedDelay(this::syncQuietly, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (IOException | GitAPIException | RuntimeException e) {
            log.warn("Sandbox sync agent: {}", e.getMessage());
        }
    }

    /** Fetches the branch and, when it moved, syncs every cluster to it. */
    void sync() throws IOException, GitAPIException {
        try (Repository repository = repository(); Git git = new Git(repository)) {
            String branch = writer.settings().branch();
            git.fetch().setRemote(writer.settings().remoteUri()).setCredentialsProvider(writer.settings().credentials())
                    // a wildcard, so that an empty remote (no branch yet) is not an error
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*")).call();
            ObjectId tip = repository.resolve("refs/heads/" + branch);
            new HashMap<>(rollouts).forEach((key, rollout) -> report(clusters.client(rollout.cluster()), key, rollout));
            if (tip == null || tip.equals(synced)) {
                return;
            }
            for (String cluster : clusters.names()) {
                sync(repository, tip, cluster);
            }
            synced = tip;
        }
    }

    private void sync(Repository repository, ObjectId commit, String cluster) throws IOException {
        KubernetesClient client = clusters.client(cluster);
        // a file is read only when its blob changed: a commit touches a few of hundreds
        for (var file : blobs(repository, commit, "clusters/" + cluster + "/namespaces").entrySet()) {
            String key = cluster + "/" + file.getKey();
            if (!file.getValue().name().equals(rendered.get(key))) {
                for (HasMetadata object : KUBERNETES.<List<HasMetadata>>unmarshal(read(repository, file.getValue()))) {
                    apply(client, object, null);
                }
                rendered.put(key, file.getValue().name());
            }
        }
        var seen = new HashSet<String>();
        var paths = new HashSet<String>();
        for (var file : blobs(repository, commit, "clusters/" + cluster + "/apps").entrySet()) {
            String path = cluster + "/" + file.getKey();
            paths.add(path);
            Parsed parsed = applications.get(path);
            if (parsed == null || !parsed.blob().equals(file.getValue())) {
                parsed = new Parsed(file.getValue(), Yaml.read(read(repository, file.getValue())));
                applications.put(path, parsed);
            }
            JsonNode application = parsed.application();
            if (application == null || !"Application".equals(application.path("kind").asText())) {
                continue;
            }
            String name = application.at("/metadata/name").asText();
            seen.add(name);
            // rendered again only when what it reads changed: the Application, its value files, its chart
            String inputs = inputs(repository, commit, parsed.blob(), application);
            if (!inputs.equals(rendered.get(cluster + "/" + name))) {
                syncApplication(repository, commit, client, cluster, name, application);
                rendered.put(cluster + "/" + name, inputs);
            }
        }
        applications.keySet().removeIf(path -> path.startsWith(cluster + "/") && !paths.contains(path));
        // an Application gone from Git: Argo CD's finalizer deletes what it deployed
        for (GenericKubernetesResource deployed : client.genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace(platform.argoNamespace()).list().getItems()) {
            if (!seen.contains(deployed.getMetadata().getName())) {
                Object destination = deployed.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                        && spec.get("destination") instanceof Map<?, ?> d ? d.get("namespace") : null;
                if (destination != null) {
                    prune(client, destination.toString(), deployed.getMetadata().getName(), Set.of());
                }
                client.resource(deployed).delete();
                rendered.remove(cluster + "/" + deployed.getMetadata().getName());
            }
        }
    }

    private record Parsed(ObjectId blob, JsonNode application) {
    }

    /** An Application whose health follows its Deployments' rollouts, reported as it changes. */
    private record Rollout(String cluster, JsonNode application, ObjectId commit, String namespace, List<String> deployments,
                           List<String> images, String health) {
        Rollout reported(String newHealth) {
            return new Rollout(cluster, application, commit, namespace, deployments, images, newHealth);
        }
    }

    private void syncApplication(Repository repository, ObjectId commit, KubernetesClient client, String cluster, String name,
                                 JsonNode application) {
        String namespace = application.at("/spec/destination/namespace").asText();
        var applied = new HashSet<String>();
        var deployments = new ArrayList<String>();
        var images = new ArrayList<String>();
        try {
            ApplicationRender.Rendered rendered = ApplicationRender.render(repository, commit, platform.gitopsRepoUrl(),
                    application);
            for (JsonNode object : rendered.objects()) {
                HasMetadata resource = KUBERNETES.unmarshal(object.toString());
                if (resource.getMetadata().getNamespace() == null) {
                    resource.getMetadata().setNamespace(namespace);
                }
                String tracking = name + ":" + group(resource) + "/" + resource.getKind() + ":" + namespace + "/"
                        + resource.getMetadata().getName();
                applied.add(tracking);
                // Argo CD's summary repeats the references in the specs (tags or digests), not what runs
                object.findValues("image").forEach(image -> {
                    if (image.isTextual() && !images.contains(image.asText())) {
                        images.add(image.asText());
                    }
                });
                if (resource instanceof Deployment) {
                    deployments.add(resource.getMetadata().getName());
                }
                HasMetadata result = apply(client, resource, tracking);
                if (result instanceof Deployment deployment) {
                    kubelets.get(cluster).rollout(deployment, rendered.tag());
                }
            }
            prune(client, namespace, name, applied);
        } catch (IOException | IllegalArgumentException | IllegalStateException | KubernetesClientException failed) {
            rollouts.remove(cluster + "/" + name);
            log.warn("Sandbox cluster {}: Application {} does not sync: {}", cluster, name, failed.getMessage());
            status(client, application, commit, "Degraded", failed.getMessage(), List.of());
            return;
        }
        var rollout = new Rollout(cluster, application, commit, namespace, List.copyOf(deployments), List.copyOf(images), null);
        report(client, cluster + "/" + name, rollout);
    }

    /** Reports the Application's health when it changed; follows it until its rollouts end. */
    private void report(KubernetesClient client, String key, Rollout rollout) {
        String health = health(client, rollout);
        if (!health.equals(rollout.health())) {
            status(client, rollout.application(), rollout.commit(), health, null, rollout.images());
        }
        if (health.equals("Progressing")) {
            rollouts.put(key, rollout.reported(health));
        } else {
            rollouts.remove(key);
        }
    }

    /** Argo CD's health of a Deployment: Healthy once rolled out, Degraded past its deadline, Progressing before. */
    private static String health(KubernetesClient client, Rollout rollout) {
        if (rollout.deployments().isEmpty()) {
            return "Healthy";
        }
        String health = "Healthy";
        for (String name : rollout.deployments()) {
            Deployment deployment = client.apps().deployments().inNamespace(rollout.namespace()).withName(name).get();
            if (deployment == null || deployment.getStatus() == null) {
                health = "Progressing";
                continue;
            }
            var status = deployment.getStatus();
            boolean deadline = status.getConditions() != null && status.getConditions().stream().anyMatch(c ->
                    "Progressing".equals(c.getType()) && "False".equals(c.getStatus()));
            if (deadline) {
                return "Degraded";
            }
            int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
            if (status.getReadyReplicas() == null || status.getReadyReplicas() < wanted
                    || status.getUpdatedReplicas() == null || status.getUpdatedReplicas() < wanted) {
                health = "Progressing";
            }
        }
        return health;
    }

    /** Applies an object unless what is there came from the same rendering; returns what the cluster holds. */
    private HasMetadata apply(KubernetesClient client, HasMetadata object, String tracking) {
        String applied = SandboxKubelet.sha256(KUBERNETES.asJson(object));
        var annotations = new LinkedHashMap<String, String>(object.getMetadata().getAnnotations() == null ? Map.of()
                : object.getMetadata().getAnnotations());
        if (tracking != null) {
            annotations.put(TRACKING, tracking);
        }
        annotations.put(APPLIED, applied);
        object.getMetadata().setAnnotations(annotations);
        HasMetadata existing = client.resource(object).get();
        if (existing != null && existing.getMetadata().getAnnotations() != null
                && applied.equals(existing.getMetadata().getAnnotations().get(APPLIED))) {
            return null; // unchanged: no rollout either
        }
        return client.resource(object).createOr(current -> current.update());
    }

    /** What an Application reads, as blob and tree ids: the same ids render the same objects. */
    private static String inputs(Repository repository, ObjectId commit, ObjectId applicationBlob, JsonNode application)
            throws IOException {
        var key = new StringBuilder(applicationBlob.name());
        for (JsonNode source : application.at("/spec/sources")) {
            if (source.has("path")) {
                key.append(' ').append(id(repository, commit, source.path("path").asText().replaceAll("/+$", "")));
            }
            for (JsonNode valueFile : source.at("/helm/valueFiles")) {
                String path = valueFile.asText().replaceFirst("^\\$[^/]+/", "");
                key.append(' ').append(id(repository, commit, path));
            }
        }
        return key.toString();
    }

    private static String id(Repository repository, ObjectId commit, String path) throws IOException {
        try (RevWalk walk = new RevWalk(repository);
             TreeWalk tree = TreeWalk.forPath(repository, path, walk.parseCommit(commit).getTree())) {
            return tree == null ? "-" : tree.getObjectId(0).name();
        }
    }

    /** Deletes what the Application deployed in its namespace and no longer renders. */
    private void prune(KubernetesClient client, String namespace, String application, Set<String> kept) {
        for (var kind : List.of(client.apps().deployments(), client.batch().v1().cronjobs(), client.services(),
                client.serviceAccounts(), client.network().v1().ingresses(), client.autoscaling().v2().horizontalPodAutoscalers(),
                client.policy().v1().podDisruptionBudget())) {
            for (HasMetadata object : kind.inNamespace(namespace).list().getItems()) {
                Map<String, String> annotations = object.getMetadata().getAnnotations();
                String tracking = annotations == null ? null : annotations.get(TRACKING);
                if (tracking != null && tracking.startsWith(application + ":") && !kept.contains(tracking)) {
                    client.resource(object).delete();
                }
            }
        }
    }

    /** The Application as Argo CD reports it once synced: the revision, sync status, health and images. */
    private void status(KubernetesClient client, JsonNode application, ObjectId commit, String health, String message,
                        List<String> images) {
        var resource = KUBERNETES.unmarshal(application.toString(), GenericKubernetesResource.class);
        String now = clock.instant().toString();
        var status = new LinkedHashMap<String, Object>();
        boolean failed = message != null;
        status.put("sync", Map.of("status", failed ? "Unknown" : "Synced",
                "revisions", List.of(commit.name(), commit.name())));
        status.put("health", message == null ? Map.of("status", health) : Map.of("status", health, "message", message));
        status.put("operationState", Map.of("phase", failed ? "Failed" : "Succeeded", "finishedAt", now));
        status.put("reconciledAt", now);
        status.put("summary", Map.of("images", images));
        resource.setAdditionalProperty("status", status);
        client.resource(resource).createOr(current -> current.update());
    }

    private static String group(HasMetadata object) {
        String apiVersion = object.getApiVersion();
        return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    }

    /** The YAML files under a directory at a commit, by path, as blob ids. */
    private static Map<String, ObjectId> blobs(Repository repository, ObjectId commit, String directory) throws IOException {
        var files = new LinkedHashMap<String, ObjectId>();
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            tree.setFilter(PathFilter.create(directory));
            while (tree.next()) {
                if (tree.getPathString().endsWith(".yaml")) {
                    files.put(tree.getPathString(), tree.getObjectId(0));
                }
            }
        }
        return files;
    }

    private static String read(Repository repository, ObjectId blob) throws IOException {
        return new String(repository.open(blob).getBytes(), StandardCharsets.UTF_8);
    }

    private Repository repository() throws IOException, GitAPIException {
        if (!Files.exists(clone.resolve("HEAD"))) {
            Files.createDirectories(clone);
            return Git.init().setBare(true).setDirectory(clone.toFile()).call().getRepository();
        }
        return Git.open(clone.toFile()).getRepository();
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
