package dev.slipway.portal.scaffold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import dev.slipway.portal.registry.AcrEvents;
import dev.slipway.templates.PlatformSettings;
import dev.slipway.templates.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every Application Slipway generates, rendered as Argo CD renders it: its chart source and its
 * {@code $values} ref resolved against the GitOps repository at one commit (local mode publishes the
 * chart there), its value files in order, its release name and namespace, through the real Helm
 * engine. A service with an image runs it by digest; one without runs nothing yet.
 */
@PortalTest
class ArgoCdRenderingTest {

    @LocalServerPort
    int port;
    @Autowired
    dev.slipway.portal.database.DataDirectory data;
    @Autowired
    PlatformSettings platform;
    @Autowired
    ChartPublication publication;
    @TempDir
    Path temp;

    @Test
    void everyGeneratedApplicationRendersFromTheRepositoryAsArgoCdWouldRenderIt() throws Exception {
        awaitFile("charts/microservice/Chart.yaml");
        try (Repository repository = remote(); Git git = new Git(repository)) {
            var published = git.log().addPath("charts/microservice/Chart.yaml").call().iterator().next();
            assertThat(published.getShortMessage()).matches("Publish chart microservice \\d+\\.\\d+\\.\\d+");
            assertThat(published.getAuthorIdent().getName()).isEqualTo("slipway");
        }
        assertThat(publication.publish()).as("started again, or a second replica: nothing more to publish").isEmpty();
        var services = new LinkedHashMap<String, String>(); // name -> template
        for (String template : List.of("http-service", "worker", "cron-job")) {
            String name = TestCatalog.uniqueName(template.replace("-", ""));
            var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                    "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"" + template + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            services.put(name, template);
        }
        String digest = "sha256:7b2e" + "1f".repeat(30);
        for (String name : services.keySet()) {
            awaitFile("clusters/prod/apps/payments/" + name + "-prod.yaml");
            var pushed = AcrEvents.post(port, AcrEvents.event("push.json", "payments/" + name, digest, "2.0.1",
                    "2026-12-01T10:00:00Z").toString(), AcrEvents.SECRET);
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
        }
        for (String name : services.keySet()) {
            awaitContent("services/payments/" + name + "/dev/values.yaml", digest);
        }

        try (Repository repository = remote()) {
            ObjectId commit = repository.resolve("refs/heads/" + platform.gitopsRevision());
            int rendered = 0;
            for (var service : services.entrySet()) {
                for (String environment : List.of("dev", "test", "prod")) {
                    String cluster = environment.equals("prod") ? "prod" : "nonprod";
                    JsonNode application = Yaml.read(read(repository, commit,
                            "clusters/" + cluster + "/apps/payments/" + service.getKey() + "-" + environment + ".yaml"));
                    List<JsonNode> objects = render(repository, commit, application);
                    rendered++;
                    List<String> kinds = objects.stream().map(o -> o.path("kind").asText()).toList();
                    String workload = service.getValue().equals("cron-job") ? "CronJob" : "Deployment";
                    if (environment.equals("dev")) {
                        // dev follows the push: its workload runs the image by digest
                        JsonNode object = objects.stream().filter(o -> o.path("kind").asText().equals(workload)).findFirst()
                                .orElseThrow(() -> new AssertionError(service + " in dev renders no " + workload + ": " + kinds));
                        assertThat(object.toString()).contains("slipwaylocal.azurecr.io/payments/" + service.getKey() + "@" + digest);
                    } else {
                        assertThat(kinds).as(service + " in " + environment + " has no image yet").doesNotContain(workload);
                    }
                    assertThat(objects).allSatisfy(o -> assertThat(o.at("/metadata/labels/slipway.dev~1environment").asText())
                            .isEqualTo(environment));
                }
            }
            assertThat(rendered).isEqualTo(9);
        }
    }

    /** helm template of the Application's chart source, with the value files its {@code $values} source names. */
    private List<JsonNode> render(Repository repository, ObjectId commit, JsonNode application) throws Exception {
        JsonNode sources = application.at("/spec/sources");
        JsonNode chart = null;
        String valuesRef = null;
        for (JsonNode source : sources) {
            assertThat(source.path("repoURL").asText()).as("local mode's Applications read only the GitOps repository")
                    .isEqualTo(platform.gitopsRepoUrl());
            assertThat(source.path("targetRevision").asText()).isEqualTo(platform.gitopsRevision());
            if (source.has("ref")) {
                valuesRef = source.path("ref").asText();
            } else {
                chart = source;
            }
        }
        assertThat(chart).isNotNull();
        assertThat(valuesRef).isEqualTo("values");
        Path directory = Files.createTempDirectory(temp, "chart");
        String chartPath = chart.path("path").asText();
        int files = checkout(repository, commit, chartPath, directory);
        assertThat(files).as("the chart is where the Application says: " + chartPath).isGreaterThan(3);
        var template = new Helm(directory).template().withName(chart.at("/helm/releaseName").asText())
                .withNamespace(application.at("/spec/destination/namespace").asText());
        for (JsonNode valueFile : chart.at("/helm/valueFiles")) {
            String path = valueFile.asText();
            assertThat(path).startsWith("$" + valuesRef + "/");
            Path local = Files.createTempFile(temp, "values", ".yaml");
            Files.writeString(local, read(repository, commit, path.substring(valuesRef.length() + 2)));
            template.withValuesFile(local);
        }
        return Yaml.readAll(template.call()).stream().filter(o -> o != null && o.has("kind")).toList();
    }

    private static int checkout(Repository repository, ObjectId commit, String directory, Path target) throws Exception {
        int files = 0;
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            tree.setFilter(org.eclipse.jgit.treewalk.filter.PathFilter.create(directory));
            while (tree.next()) {
                Path file = target.resolve(tree.getPathString().substring(directory.length() + 1));
                Files.createDirectories(file.getParent());
                Files.write(file, repository.open(tree.getObjectId(0)).getBytes());
                files++;
            }
        }
        return files;
    }

    private static String read(Repository repository, ObjectId commit, String path) throws Exception {
        try (RevWalk walk = new RevWalk(repository);
             TreeWalk tree = TreeWalk.forPath(repository, path, walk.parseCommit(commit).getTree())) {
            assertThat(tree).as(path + " at " + commit.name()).isNotNull();
            return new String(repository.open(tree.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private void awaitFile(String path) throws Exception {
        awaitContent(path, "");
    }

    private void awaitContent(String path, String contained) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            try (Repository repository = remote()) {
                ObjectId tip = repository.resolve("refs/heads/" + platform.gitopsRevision());
                if (tip != null) {
                    try (RevWalk walk = new RevWalk(repository);
                         TreeWalk tree = TreeWalk.forPath(repository, path, walk.parseCommit(tip).getTree())) {
                        if (tree != null && new String(repository.open(tree.getObjectId(0)).getBytes(),
                                java.nio.charset.StandardCharsets.UTF_8).contains(contained)) {
                            return;
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " with " + contained + " is not on the branch");
    }

    private Repository remote() throws Exception {
        return Git.open(data.path().resolve("gitops.git").toFile()).getRepository();
    }
}
