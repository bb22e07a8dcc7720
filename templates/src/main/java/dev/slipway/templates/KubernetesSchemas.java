package dev.slipway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates Kubernetes objects against the API's JSON schemas in kubeconform's layout
 * ({@code <kind>[-<group>]-<version>.json}, e.g. {@code deployment-apps-v1.json}), strict about
 * unknown fields. The schemas declare no draft; draft-04 semantics are what they were made for.
 */
public final class KubernetesSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Map<String, Optional<JsonSchema>> schemas = new ConcurrentHashMap<>();

    public KubernetesSchemas(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no Kubernetes schemas in " + directory);
        }
        this.directory = directory;
    }

    /** The schema file name for an object, e.g. {@code networkpolicy-networking-v1.json}. */
    public static String fileName(String apiVersion, String kind) {
        String[] parts = apiVersion.split("/");
        String group = parts.length == 2 ? parts[0].split("\\.")[0] : "";
        String version = parts[parts.length - 1];
        return kind.toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "-" + group) + "-" + version + ".json";
    }

    public boolean covers(JsonNode object) {
        return schemaFor(object).isPresent();
    }

    /** Every way the object breaks its kind's schema; empty when valid. */
    public List<Violation> validate(JsonNode object) {
        JsonSchema schema = schemaFor(object).orElseThrow(() -> new IllegalArgumentException(
                "no schema for " + object.path("apiVersion").asText() + " " + object.path("kind").asText()));
        return validate(schema, object, object.path("kind").asText() + "/" + object.path("metadata").path("name").asText());
    }

    /**
     * A pod template (a CronJob's, which has no schema here) against the Deployment schema's
     * {@code spec.template}: the same PodTemplateSpec.
     */
    public List<Violation> validatePodTemplate(JsonNode podTemplate) {
        return validate(part("deployment-apps-v1.json", "/properties/spec/properties/template"), podTemplate, "pod template");
    }

    /** Object metadata against the Deployment schema's ObjectMeta. */
    public List<Violation> validateMetadata(JsonNode metadata) {
        return validate(part("deployment-apps-v1.json", "/properties/metadata"), metadata, "metadata");
    }

    private static List<Violation> validate(JsonSchema schema, JsonNode instance, String where) {
        return schema.validate(instance).stream()
                .map(message -> new Violation(where + " " + Template.dotted(message.getInstanceLocation()).replaceFirst("^\\.", ""),
                        message.getError()))
                .toList();
    }

    private Optional<JsonSchema> schemaFor(JsonNode object) {
        String file = fileName(object.path("apiVersion").asText(), object.path("kind").asText());
        return schemas.computeIfAbsent(file, name -> Files.isRegularFile(directory.resolve(name))
                ? Optional.of(part(name, "")) : Optional.empty());
    }

    private JsonSchema part(String file, String pointer) {
        try {
            var config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build();
            JsonNode whole = JSON.readTree(directory.resolve(file).toFile());
            var schema = (com.fasterxml.jackson.databind.node.ObjectNode) whole.at(pointer.isEmpty() ? "" : pointer);
            // "http://json-schema.org/schema#" names no draft the validator can load; the factory's draft-04 applies
            schema.remove("$schema");
            return FACTORY.getSchema(schema, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
