package dev.slipway.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The chart under test, rendered by the real Helm engine (helm-java bundles Helm natively). */
final class MicroserviceChart {

  /** The chart's sources, not a copy: surefire runs in the module directory. */
  static final Path PATH = Path.of(System.getProperty("basedir", ".")).resolve("microservice").toAbsolutePath();

  static final YAMLMapper YAML = YAMLMapper.builder().build();

  private MicroserviceChart() {
  }

  /** {@code helm template} with base.yaml (identity and image) and then the given scenario files. */
  static TemplateCommand template(String... scenarios) {
    TemplateCommand template = new Helm(PATH).template().withName("release").withValuesFile(values("base"));
    for (String scenario : scenarios) {
      template = template.withValuesFile(values(scenario));
    }
    return template;
  }

  /** Renders the scenarios (after base.yaml). */
  static Rendered render(String... scenarios) {
    return Rendered.parse(template(scenarios).call());
  }

  /** A values file from src/test/resources/values. */
  static Path values(String name) {
    try {
      var url = Objects.requireNonNull(MicroserviceChart.class.getResource("/values/" + name + ".yaml"), name);
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes values through a YAML serializer, so any string round-trips exactly. */
  static Path writeValues(Path dir, String name, Map<String, ?> values) {
    try {
      Path file = dir.resolve(name + ".yaml");
      Files.writeString(file, YAML.writeValueAsString(values));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects of one {@code helm template} run. */
  record Rendered(String manifest, List<JsonNode> objects) {

    static Rendered parse(String manifest) {
      List<JsonNode> objects = YAML.readerFor(JsonNode.class).<JsonNode>readValues(manifest).readAll().stream()
          .filter(node -> node != null && node.isObject())
          .toList();
      return new Rendered(manifest, objects);
    }

    List<String> kinds() {
      return objects.stream().map(o -> o.path("kind").asString()).sorted().toList();
    }

    boolean has(String kind) {
      return objects.stream().anyMatch(o -> kind.equals(o.path("kind").asString()));
    }

    /** The one object of this kind. */
    JsonNode get(String kind) {
      List<JsonNode> found = objects.stream().filter(o -> kind.equals(o.path("kind").asString())).toList();
      if (found.size() != 1) {
        throw new AssertionError("expected one " + kind + " but found " + found.size() + " in:\n" + manifest);
      }
      return found.getFirst();
    }

    /** The pod template of the Deployment or of the CronJob's Job. */
    JsonNode podTemplate() {
      return has("CronJob") ? get("CronJob").at("/spec/jobTemplate/spec/template") : get("Deployment").at("/spec/template");
    }

    /** The service's container (the chart has exactly one). */
    JsonNode container() {
      JsonNode containers = podTemplate().at("/spec/containers");
      if (containers.size() != 1) {
        throw new AssertionError("expected one container but found " + containers.size());
      }
      return containers.get(0);
    }
  }
}
