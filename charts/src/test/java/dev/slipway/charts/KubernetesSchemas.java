package dev.slipway.charts;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The chart tests' view of the Kubernetes v1.32.2 "standalone-strict" schemas in
 * the repository's fixtures/k8s-schemas: the templates module's validator (Jackson 2, like fabric8's
 * models), fed with the Jackson 3 trees these tests parse Helm's output into.
 */
final class KubernetesSchemas {

  static final Path DIR = fixtures().resolve("k8s-schemas/v1.32.2-standalone-strict");

  /**
   * The repository's fixtures/ (the build names it in slipway.fixtures; from an IDE the module directory is the
   * working directory). Missing fixtures fail the test, never skip it.
   */
  static Path fixtures() {
    String property = System.getProperty("slipway.fixtures");
    Path root = property != null ? Path.of(property) : Path.of("..", "fixtures");
    if (!java.nio.file.Files.isDirectory(root)) {
      throw new IllegalStateException("the test fixtures are missing at " + root.toAbsolutePath());
    }
    return root;
  }

  /**
   * Kinds the chart renders for which the fixtures have no schema. The CronJob's pod template is still checked
   * against the Deployment schema's pod template (a PodTemplateSpec in both); the SecretProviderClass is a CRD and
   * is asserted field by field in the render tests.
   */
  static final Map<String, String> NO_SCHEMA = Map.of(
      "batch/v1/CronJob", "no schema available: pod template and metadata checked against the Deployment's",
      "secrets-store.csi.x-k8s.io/v1/SecretProviderClass", "no schema available (CRD of the Secrets Store CSI driver)");

  private static final com.fasterxml.jackson.databind.ObjectMapper JACKSON2 =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final dev.slipway.templates.KubernetesSchemas schemas = new dev.slipway.templates.KubernetesSchemas(DIR);

  static String key(JsonNode object) {
    return object.path("apiVersion").asString() + "/" + object.path("kind").asString();
  }

  /** The schema file of this object's kind, if the fixtures have one. */
  Optional<String> schemaFile(JsonNode object) {
    return schemas.covers(convert(object))
        ? Optional.of(dev.slipway.templates.KubernetesSchemas.fileName(object.path("apiVersion").asString(),
            object.path("kind").asString()))
        : Optional.empty();
  }

  /** Errors of a whole object against its kind's schema. */
  List<String> validate(JsonNode object) {
    return schemas.validate(convert(object)).stream().map(Object::toString).toList();
  }

  /** Errors of a pod template (e.g. a CronJob's) against the Deployment schema's spec.template. */
  List<String> validatePodTemplate(JsonNode podTemplate) {
    return schemas.validatePodTemplate(convert(podTemplate)).stream().map(Object::toString).toList();
  }

  /** Errors of an object's metadata against the Deployment schema's ObjectMeta. */
  List<String> validateMetadata(JsonNode metadata) {
    return schemas.validateMetadata(convert(metadata)).stream().map(Object::toString).toList();
  }

  private static com.fasterxml.jackson.databind.JsonNode convert(JsonNode node) {
    try {
      return JACKSON2.readTree(node.toString());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
