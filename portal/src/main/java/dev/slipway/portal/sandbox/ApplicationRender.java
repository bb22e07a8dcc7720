package dev.slipway.portal.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import dev.slipway.templates.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * An Argo CD Application of the GitOps repository rendered as Argo CD's repo server renders it: the
 * chart source's path and the {@code $values} ref's value files read from the repository at one
 * commit, {@code helm template} with the release name and the destination namespace.
 */
final class ApplicationRender {

    /** What an Application renders to: its objects, and the image tag its environment's values name. */
    record Rendered(List<JsonNode> objects, String tag) {
    }

    private ApplicationRender() {
    }

    /**
     * @throws IllegalArgumentException when the Application reads something the repository does not
     *                                  hold (another repository, a missing chart or value file)
     */
    static Rendered render(Repository repository, ObjectId commit, String repositoryUrl, JsonNode application)
            throws IOException {
        JsonNode chart = null;
        String ref = null;
        for (JsonNode source : application.at("/spec/sources")) {
            if (!repositoryUrl.equals(source.path("repoURL").asText())) {
                throw new IllegalArgumentException("reads " + source.path("repoURL").asText()
                        + ", which the sandbox cannot reach (it syncs from the GitOps repository only)");
            }
            if (source.has("ref")) {
                ref = source.path("ref").asText();
            } else {
                chart = source;
            }
        }
        if (chart == null || !chart.has("path")) {
            throw new IllegalArgumentException("has no chart source with a path");
        }
        Path work = Files.createTempDirectory("slipway-sandbox-render");
        try {
            Path directory = work.resolve("chart");
            if (checkout(repository, commit, chart.path("path").asText().replaceAll("/+$", ""), directory) == 0) {
                throw new IllegalArgumentException("names chart " + chart.path("path").asText() + ", which is not in the repository");
            }
            var template = new Helm(directory).template().withName(chart.at("/helm/releaseName").asText())
                    .withNamespace(application.at("/spec/destination/namespace").asText());
            String tag = null;
            int n = 0;
            for (JsonNode valueFile : chart.at("/helm/valueFiles")) {
                String path = valueFile.asText();
                if (ref == null || !path.startsWith("$" + ref + "/")) {
                    throw new IllegalArgumentException("names value file " + path + " outside its $values ref");
                }
                String content = read(repository, commit, path.substring(ref.length() + 2));
                Path local = work.resolve("values-" + n++ + ".yaml");
                Files.writeString(local, content);
                template.withValuesFile(local);
                JsonNode values = Yaml.read(content);
                if (values != null && values.at("/image/tag").isTextual()) {
                    tag = values.at("/image/tag").asText();
                }
            }
            var objects = new ArrayList<JsonNode>();
            for (JsonNode object : Yaml.readAll(template.call())) {
                if (object != null && object.has("kind")) {
                    objects.add(object);
                }
            }
            return new Rendered(objects, tag);
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static int checkout(Repository repository, ObjectId commit, String directory, Path target) throws IOException {
        int files = 0;
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            tree.setFilter(PathFilter.create(directory));
            while (tree.next()) {
                Path file = target.resolve(tree.getPathString().substring(directory.length() + 1)).normalize();
                if (!file.startsWith(target)) {
                    continue;
                }
                Files.createDirectories(file.getParent());
                Files.write(file, repository.open(tree.getObjectId(0)).getBytes());
                files++;
            }
        }
        return files;
    }

    static String read(Repository repository, ObjectId commit, String path) throws IOException {
        try (RevWalk walk = new RevWalk(repository);
             TreeWalk tree = TreeWalk.forPath(repository, path, walk.parseCommit(commit).getTree())) {
            if (tree == null) {
                throw new IllegalArgumentException("names " + path + ", which is not in the repository");
            }
            return new String(repository.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }
}
