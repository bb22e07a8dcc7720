package dev.slipway.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way Slipway writes and reads YAML: through Jackson's serializer, so a value can never
 * change the structure of a document, whatever quotes, colons or newlines it holds.
 */
public final class Yaml {

    // Every string value is quoted: YAML 1.1 readers (Helm's among them) turn unquoted 0x1F, 0755,
    // 1:20, yes or off into numbers and booleans, and minimal quoting does not catch them all.
    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .build())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // maps (labels, quotas) in a stable order, so the same input always gives the same bytes
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Yaml() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** One document. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Several documents in one file, each started with {@code ---}. */
    public static String writeAll(List<?> documents) {
        var out = new StringWriter();
        for (Object document : documents) {
            out.write("---\n");
            out.write(write(document));
        }
        return out.toString();
    }

    public static JsonNode read(String yaml) {
        try {
            return MAPPER.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a multi-document file, empty ones skipped. */
    public static List<JsonNode> readAll(String yaml) {
        try (var parser = MAPPER.createParser(yaml)) {
            var documents = new ArrayList<JsonNode>();
            var iterator = MAPPER.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isNull() && !document.isMissingNode() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
