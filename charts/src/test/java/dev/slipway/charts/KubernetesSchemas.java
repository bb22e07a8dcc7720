package dev.slipway.charts;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kubernetes v1.32.2 "standalone-strict" JSON schemas of ../shared/fixtures/k8s-schemas (kubeconform's format:
 * every $ref inlined, additionalProperties false everywhere).
 */
final class KubernetesSchemas {

  static final Path DIR = Path.of(System.getProperty("slipway.fixtures", "../../shared/fixtures"))
      .resolve("k8s-schemas/v1.32.2-standalone-strict");

  /** apiVersion/kind to schema file. */
  static final Map<String, String> FILES = Map.of(
      "apps/v1/Deployment", "deployment-apps-v1.json",
      "v1/Service", "service-v1.json",
      "v1/ServiceAccount", "serviceaccount-v1.json",
      "v1/ConfigMap", "configmap-v1.json",
      "networking.k8s.io/v1/Ingress", "ingress-networking-v1.json",
      "autoscaling/v2/HorizontalPodAutoscaler", "horizontalpodautoscaler-autoscaling-v2.json",
      "policy/v1/PodDisruptionBudget", "poddisruptionbudget-policy-v1.json");

  /**
   * Kinds the chart renders for which the fixtures have no schema. The CronJob's pod template is still checked
   * against the Deployment schema's pod template (a PodTemplateSpec in both); the SecretProviderClass is a CRD and
   * is asserted field by field in the render tests.
   */
  static final Map<String, String> NO_SCHEMA = Map.of(
      "batch/v1/CronJob", "no schema available: pod template and metadata checked against the Deployment's",
      "secrets-store.csi.x-k8s.io/v1/SecretProviderClass", "no schema available (CRD of the Secrets Store CSI driver)");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  // The files say "$schema": "http://json-schema.org/schema#" (no draft): the key is dropped and draft-07 used.
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
  private final Map<String, JsonNode> files = new ConcurrentHashMap<>();

  static String key(JsonNode object) {
    return object.path("apiVersion").asString() + "/" + object.path("kind").asString();
  }

  /** The schema file of this object's kind, if the fixtures have one. */
  Optional<String> schemaFile(JsonNode object) {
    return Optional.ofNullable(FILES.get(key(object)));
  }

  /** Errors of a whole object against its kind's schema. */
  List<String> validate(JsonNode object) {
    String file = schemaFile(object).orElseThrow(() -> new IllegalArgumentException("no schema for " + key(object)));
    return validate(load(file), object);
  }

  /** Errors of a pod template (e.g. a CronJob's) against the Deployment schema's spec.template. */
  List<String> validatePodTemplate(JsonNode podTemplate) {
    return validate(load("deployment-apps-v1.json").at("/properties/spec/properties/template"), podTemplate);
  }

  /** Errors of an object's metadata against the Deployment schema's ObjectMeta. */
  List<String> validateMetadata(JsonNode metadata) {
    return validate(load("deployment-apps-v1.json").at("/properties/metadata"), metadata);
  }

  private List<String> validate(JsonNode schemaNode, JsonNode instance) {
    if (schemaNode.isMissingNode()) {
      throw new IllegalStateException("schema node not found");
    }
    Schema schema = registry.getSchema(schemaNode);
    return schema.validate(instance).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
  }

  private JsonNode load(String file) {
    return files.computeIfAbsent(file, f -> {
      Path path = DIR.resolve(f);
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException("Kubernetes schema not found: " + path.toAbsolutePath().normalize());
      }
      ObjectNode node = (ObjectNode) JSON.readTree(path.toFile());
      node.remove("$schema");
      return node;
    });
  }
}
