package dev.slipway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a team chooses when it creates a service: a descriptor (id, version, title, the chart and
 * the chart values it always sets) and a JSON Schema for its parameters. Every parameter has a
 * default, so the service's name and team are all a template needs.
 */
public final class Template {

    private static final Pattern VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?");
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final String id;
    private final String version;
    private final String title;
    private final String description;
    private final String chart;
    private final ObjectNode values;
    private final ObjectNode parametersSchema;
    private final ObjectNode defaults;
    private final JsonSchema schema;

    /**
     * @param values chart values the template always sets (e.g. {@code workload: cronjob})
     * @throws IllegalArgumentException naming what is wrong with the descriptor or its schema
     */
    public Template(String id, String version, String title, String description, String chart, ObjectNode values,
                    ObjectNode parametersSchema) {
        require(id != null && KubernetesNames.dns1123Label(id).isEmpty(), id, "id must be a DNS-1123 label");
        require(version != null && VERSION.matcher(version).matches(), id, "version must look like 1.2.3");
        require(title != null && !title.isBlank(), id, "needs a title");
        require(chart != null && KubernetesNames.dns1123Label(chart).isEmpty(), id, "chart must name a chart");
        require(parametersSchema != null && "object".equals(parametersSchema.path("type").asText()), id,
                "the parameters schema must describe an object");
        this.id = id;
        this.version = version;
        this.title = title.strip();
        this.description = description == null ? "" : description.strip();
        this.chart = chart;
        this.values = values == null ? JsonNodeFactory.instance.objectNode() : values.deepCopy();
        this.parametersSchema = parametersSchema.deepCopy();
        var config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        this.schema = SCHEMAS.getSchema(this.parametersSchema, config);
        var missing = new ArrayList<String>();
        this.defaults = defaultsOf(this.parametersSchema, "parameters", missing);
        require(missing.isEmpty(), id, "every parameter needs a default; missing for " + String.join(", ", missing));
        List<Violation> invalidDefaults = validate(defaults);
        require(invalidDefaults.isEmpty(), id, "its defaults break its own schema: " + invalidDefaults);
    }

    public String id() {
        return id;
    }

    public String version() {
        return version;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    public String chart() {
        return chart;
    }

    /** Chart values the template always sets, whatever the parameters. */
    public ObjectNode values() {
        return values.deepCopy();
    }

    public ObjectNode parametersSchema() {
        return parametersSchema.deepCopy();
    }

    public ObjectNode defaults() {
        return defaults.deepCopy();
    }

    /**
     * The parameters a service gets: the given ones over the defaults, checked against the schema.
     *
     * @throws InvalidServiceException naming each parameter that breaks the schema
     */
    public ObjectNode resolve(JsonNode parameters) {
        if (parameters == null || parameters.isNull() || parameters.isMissingNode()) {
            return defaults();
        }
        if (!parameters.isObject()) {
            throw new InvalidServiceException(List.of(new Violation("parameters", "must be a JSON object")));
        }
        ObjectNode merged = defaults();
        merge(merged, (ObjectNode) parameters);
        List<Violation> violations = validate(merged);
        if (!violations.isEmpty()) {
            throw new InvalidServiceException(violations);
        }
        return merged;
    }

    private List<Violation> validate(JsonNode parameters) {
        Set<ValidationMessage> messages = schema.validate(parameters);
        var violations = new ArrayList<Violation>();
        for (ValidationMessage message : messages) {
            String path = "parameters" + dotted(message.getInstanceLocation());
            if (message.getProperty() != null && "additionalProperties".equals(message.getType())) {
                path = path + "." + message.getProperty();
                violations.add(new Violation(path, "is not a parameter of template " + id));
            } else {
                violations.add(new Violation(path, message.getError()));
            }
        }
        violations.sort(Comparator.comparing(Violation::path));
        return violations;
    }

    /** A validator's location as the field path forms and problems use: {@code .resources.limits.cpu}, {@code .secrets[0]}. */
    static String dotted(com.networknt.schema.JsonNodePath location) {
        var path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path.append(element instanceof Integer index ? "[" + index + "]" : "." + element);
        }
        return path.toString();
    }

    /** Objects merge key by key; anything else (arrays included) replaces the default. */
    static void merge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode sourceObject) {
                merge(existingObject, sourceObject);
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static ObjectNode defaultsOf(ObjectNode objectSchema, String path, List<String> missing) {
        ObjectNode defaults = objectSchema.has("default") && objectSchema.get("default").isObject()
                ? (ObjectNode) objectSchema.get("default").deepCopy()
                : JsonNodeFactory.instance.objectNode();
        JsonNode properties = objectSchema.path("properties");
        properties.fields().forEachRemaining(property -> {
            String propertyPath = path + "." + property.getKey();
            JsonNode propertySchema = property.getValue();
            if (propertySchema.has("default")) {
                JsonNode value = propertySchema.get("default").deepCopy();
                if (value.isObject() && "object".equals(propertySchema.path("type").asText())
                        && propertySchema.has("properties")) {
                    ObjectNode nested = defaultsOf((ObjectNode) propertySchema, propertyPath, missing);
                    merge(nested, (ObjectNode) value);
                    value = nested;
                }
                defaults.set(property.getKey(), value);
            } else if ("object".equals(propertySchema.path("type").asText()) && propertySchema.has("properties")) {
                defaults.set(property.getKey(), defaultsOf((ObjectNode) propertySchema, propertyPath, missing));
            } else if (!defaults.has(property.getKey())) {
                missing.add(propertyPath);
            }
        });
        return defaults;
    }

    private static void require(boolean condition, String id, String message) {
        if (!condition) {
            throw new IllegalArgumentException("template " + id + ": " + message);
        }
    }
}
