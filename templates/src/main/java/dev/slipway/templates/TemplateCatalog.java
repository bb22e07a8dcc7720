package dev.slipway.templates;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The templates teams choose from: the built-in ones, plus those platform admins put in a
 * directory (one folder per template with {@code template.yaml} and
 * {@code parameters.schema.json}) — no rebuild of Slipway needed. A directory template with a
 * built-in's id replaces it. A broken template stops the loading with a message naming it.
 */
public final class TemplateCatalog {

    public static final List<String> BUILT_IN = List.of("http-service", "worker", "cron-job");
    static final String DESCRIPTOR = "template.yaml";
    static final String PARAMETERS_SCHEMA = "parameters.schema.json";

    private static final Logger log = LoggerFactory.getLogger(TemplateCatalog.class);

    private record Descriptor(String id, String version, String title, String description, String chart,
                              ObjectNode values) {
    }

    private final Map<String, Template> templates;

    private TemplateCatalog(Collection<Template> templates) {
        var byId = new LinkedHashMap<String, Template>();
        templates.forEach(t -> byId.put(t.id(), t));
        this.templates = Map.copyOf(byId);
    }

    public static TemplateCatalog builtIn() {
        var templates = new ArrayList<Template>();
        for (String id : BUILT_IN) {
            templates.add(parse(id, resource(id, DESCRIPTOR), resource(id, PARAMETERS_SCHEMA)));
        }
        return new TemplateCatalog(templates);
    }

    /** The built-in templates, overlaid with those in {@code directory} when it exists. */
    public static TemplateCatalog load(Path directory) {
        var all = new LinkedHashMap<String, Template>();
        builtIn().all().forEach(t -> all.put(t.id(), t));
        if (directory == null || !Files.isDirectory(directory)) {
            return new TemplateCatalog(all.values());
        }
        try (Stream<Path> folders = Files.list(directory)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                Path descriptor = folder.resolve(DESCRIPTOR);
                if (!Files.isRegularFile(descriptor)) {
                    continue;
                }
                Template template = parse(folder.toString(), Files.readString(descriptor),
                        Files.readString(folder.resolve(PARAMETERS_SCHEMA)));
                if (!template.id().equals(folder.getFileName().toString())) {
                    throw new IllegalArgumentException("template in " + folder + " has id " + template.id()
                            + ": the folder must be named after the template's id");
                }
                if (all.put(template.id(), template) != null) {
                    log.info("Template {} from {} replaces the built-in one", template.id(), folder);
                } else {
                    log.info("Template {} {} loaded from {}", template.id(), template.version(), folder);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read templates from " + directory, e);
        }
        return new TemplateCatalog(all.values());
    }

    public List<Template> all() {
        return templates.values().stream().sorted(java.util.Comparator.comparing(Template::id)).toList();
    }

    public Optional<Template> find(String id) {
        return Optional.ofNullable(id == null ? null : templates.get(id));
    }

    private static Template parse(String where, String descriptorYaml, String schemaJson) {
        try {
            ObjectMapper yaml = Yaml.mapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            Descriptor descriptor = yaml.readValue(descriptorYaml, Descriptor.class);
            var schema = new ObjectMapper().readTree(schemaJson);
            if (!(schema instanceof ObjectNode schemaObject)) {
                throw new IllegalArgumentException("template " + where + ": " + PARAMETERS_SCHEMA + " is not a JSON object");
            }
            return new Template(descriptor.id(), descriptor.version(), descriptor.title(), descriptor.description(),
                    descriptor.chart(), descriptor.values(), schemaObject);
        } catch (IOException e) {
            throw new IllegalArgumentException("template " + where + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String resource(String id, String file) {
        String name = "/slipway-templates/" + id + "/" + file;
        try (InputStream in = TemplateCatalog.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("built-in template resource missing: " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
