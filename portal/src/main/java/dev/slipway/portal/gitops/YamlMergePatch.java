package dev.slipway.portal.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.gitops.FileMerge;
import dev.slipway.templates.Yaml;
import java.io.UncheckedIOException;
import java.util.ArrayList;

/**
 * A JSON Merge Patch (RFC 7396) applied to a YAML document: the patch's mappings merged into the
 * file's, a null removing a key, anything else replacing what was there. The file is written back
 * through Slipway's one YAML serializer, so a file Slipway wrote keeps its exact bytes outside the
 * keys the patch sets. (Comments a person added to it do not survive: YAML's data model has none.)
 */
final class YamlMergePatch implements FileMerge {

    @Override
    public String apply(String path, String current, String patch) {
        JsonNode document;
        JsonNode changes;
        try {
            document = Yaml.read(current);
            changes = Yaml.read(patch);
        } catch (UncheckedIOException | IllegalArgumentException unreadable) {
            throw new IllegalArgumentException(path + " is not a YAML document: " + unreadable.getMessage());
        }
        if (!(document instanceof ObjectNode target) || !(changes instanceof ObjectNode)) {
            throw new IllegalArgumentException(path + " and its patch must both be YAML mappings");
        }
        merge(target, changes);
        return Yaml.write(target);
    }

    private static void merge(ObjectNode target, JsonNode patch) {
        var names = new ArrayList<String>();
        patch.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = patch.get(name);
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && target.get(name) instanceof ObjectNode inner) {
                merge(inner, value);
            } else if (value.isObject()) {
                ObjectNode fresh = target.putObject(name);
                merge(fresh, value); // nulls inside a new mapping add nothing
            } else {
                target.set(name, value);
            }
        }
    }
}
