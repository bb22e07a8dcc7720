package dev.slipway.portal.scaffold.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import dev.slipway.templates.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A form generated from a template's parameter JSON Schema: a field per parameter (number,
 * switch, choice, text, list, key=value lines), nested objects as sections, each with the
 * schema's title, description and default. Reads back the parameters as JSON and shows each
 * violation beside its field.
 */
class ParameterForm extends Div {

    private final Map<String, Supplier<JsonNode>> readers = new LinkedHashMap<>();
    private final Map<String, HasValidation> fields = new LinkedHashMap<>();
    private final Runnable onChange;

    ParameterForm(ObjectNode schema, ObjectNode defaults, Runnable onChange) {
        this.onChange = onChange;
        addClassName("slipway-parameters");
        build(this, schema, defaults, "parameters");
    }

    /** The parameters as the form holds them. */
    ObjectNode value() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        readers.forEach((path, reader) -> {
            JsonNode value = reader.get();
            if (value == null) {
                return;
            }
            String[] parts = path.substring("parameters.".length()).split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = parent.with(parts[i]);
            }
            parent.set(parts[parts.length - 1], value);
        });
        return root;
    }

    /** Marks each field at fault; returns the violations no field could show. */
    List<Violation> show(List<Violation> violations) {
        fields.values().forEach(field -> field.setInvalid(false));
        var unplaced = new ArrayList<Violation>();
        for (Violation violation : violations) {
            HasValidation field = fields.get(violation.path());
            if (field == null) {
                field = fields.entrySet().stream().filter(e -> violation.path().startsWith(e.getKey() + "."))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
            }
            if (field == null) {
                unplaced.add(violation);
            } else {
                field.setErrorMessage(violation.message());
                field.setInvalid(true);
            }
        }
        return unplaced;
    }

    private void build(Div container, JsonNode schema, JsonNode defaults, String path) {
        schema.path("properties").fields().forEachRemaining(property -> {
            String name = property.getKey();
            JsonNode spec = property.getValue();
            JsonNode value = defaults.path(name);
            String fieldPath = path + "." + name;
            String label = spec.path("title").asText(name);
            String help = spec.path("description").asText("");
            String type = spec.path("type").asText("");
            if (type.equals("object") && spec.has("properties")) {
                var section = new Div(new H4(label));
                section.addClassName("slipway-parameter-section");
                var grid = new Div();
                grid.addClassName("slipway-form-grid");
                section.add(grid);
                container.add(section);
                build(grid, spec, value, fieldPath);
            } else if (type.equals("object")) {
                var area = new TextArea(label);
                area.setHelperText((help.isEmpty() ? "" : help + " ") + "One NAME=value per line.");
                var lines = new StringBuilder();
                value.fields().forEachRemaining(e -> lines.append(e.getKey()).append('=')
                        .append(e.getValue().asText().replace("\n", "\\n")).append('\n'));
                area.setValue(lines.toString().strip());
                area.addClassName("slipway-form-wide");
                add(container, fieldPath, area, () -> {
                    ObjectNode map = JsonNodeFactory.instance.objectNode();
                    for (String line : area.getValue().split("\n")) {
                        if (line.isBlank()) {
                            continue;
                        }
                        int at = line.indexOf('=');
                        map.put(at < 0 ? line.strip() : line.substring(0, at).strip(),
                                at < 0 ? "" : line.substring(at + 1).replace("\\n", "\n"));
                    }
                    return map;
                });
                area.addValueChangeListener(e -> onChange.run());
            } else if (type.equals("integer")) {
                var field = new IntegerField(label);
                if (spec.has("minimum")) {
                    field.setMin(spec.get("minimum").asInt());
                }
                if (spec.has("maximum")) {
                    field.setMax(spec.get("maximum").asInt());
                }
                field.setStepButtonsVisible(true);
                field.setValue(value.isNumber() ? value.asInt() : null);
                field.setHelperText(help);
                add(container, fieldPath, field, () -> field.getValue() == null ? null
                        : JsonNodeFactory.instance.numberNode(field.getValue()));
                field.addValueChangeListener(e -> onChange.run());
            } else if (type.equals("boolean")) {
                var box = new Checkbox(label, value.asBoolean(false));
                box.setHelperText(help);
                box.setId("parameter-" + fieldPath.substring("parameters.".length()).replace('.', '-'));
                add(container, fieldPath, null, () -> JsonNodeFactory.instance.booleanNode(box.getValue()));
                container.add(box);
                box.addValueChangeListener(e -> onChange.run());
            } else if (spec.has("enum")) {
                var select = new Select<String>();
                select.setLabel(label);
                var options = new ArrayList<String>();
                spec.get("enum").forEach(option -> options.add(option.asText()));
                select.setItems(options);
                select.setValue(value.asText(options.getFirst()));
                select.setHelperText(help);
                add(container, fieldPath, select, () -> JsonNodeFactory.instance.textNode(select.getValue()));
                select.addValueChangeListener(e -> onChange.run());
            } else if (type.equals("array")) {
                var field = new TextField(label);
                var items = new ArrayList<String>();
                value.forEach(item -> items.add(item.asText()));
                field.setValue(String.join(", ", items));
                field.setHelperText((help.isEmpty() ? "" : help + " ") + "Separate with commas.");
                add(container, fieldPath, field, () -> {
                    var array = JsonNodeFactory.instance.arrayNode();
                    for (String item : field.getValue().split(",")) {
                        if (!item.isBlank()) {
                            array.add(item.strip());
                        }
                    }
                    return array;
                });
                field.addValueChangeListener(e -> onChange.run());
            } else {
                var field = new TextField(label);
                field.setValue(value.asText(""));
                field.setHelperText(help);
                add(container, fieldPath, field, () -> JsonNodeFactory.instance.textNode(field.getValue()));
                field.addValueChangeListener(e -> onChange.run());
            }
        });
    }

    private void add(Div container, String path, Component field, Supplier<JsonNode> reader) {
        readers.put(path, reader);
        if (field != null) {
            field.setId("parameter-" + path.substring("parameters.".length()).replace('.', '-'));
            if (field instanceof HasValidation validated) {
                fields.put(path, validated);
            }
            container.add(field);
        }
    }
}
