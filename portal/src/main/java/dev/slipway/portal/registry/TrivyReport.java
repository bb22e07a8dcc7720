package dev.slipway.portal.registry;

import dev.slipway.portal.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Trivy JSON report (SchemaVersion 2), read as a stream from a file, twice: once for what it is
 * about ({@link #header}), which also proves it whole, and once for its findings, handed over one at
 * a time ({@link #findings}). The memory either takes is one vulnerability's, whatever the report's size.
 */
final class TrivyReport {

    static final int SCHEMA_VERSION = 2;
    private static final int MOST_DIGESTS = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a report is about. */
    record Header(int schemaVersion, Instant createdAt, String artifactName, List<String> repoDigests, String trivyVersion) {
    }

    /** A body that is no JSON report at all, or is cut short (400). */
    static final class MalformedReportException extends org.springframework.web.server.ResponseStatusException {
        MalformedReportException(String reason) {
            super(org.springframework.http.HttpStatus.BAD_REQUEST, reason);
        }
    }

    private TrivyReport() {
    }

    /**
     * @throws MalformedReportException when the file is not one whole JSON object
     * @throws InvalidInputException    when it is a report of another schema version
     */
    static Header header(Path file) throws IOException {
        Integer schemaVersion = null;
        Instant createdAt = null;
        String artifactName = null;
        String trivyVersion = null;
        var digests = new ArrayList<String>();
        try (InputStream in = Files.newInputStream(file); JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedReportException("The body must be a Trivy JSON report: one JSON object.");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "SchemaVersion" -> schemaVersion = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : -1;
                    case "CreatedAt" -> createdAt = value == JsonToken.VALUE_STRING ? instant(parser.getString()) : null;
                    case "ArtifactName" -> artifactName = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "Trivy" -> {
                        JsonNode trivy = parser.readValueAsTree();
                        trivyVersion = trivy.path("Version").isString() ? trivy.path("Version").asString() : null;
                    }
                    case "Metadata" -> readDigests(parser, value, digests);
                    default -> parser.skipChildren(); // Results: read in the second pass
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new MalformedReportException("The report must be one JSON object and nothing after it.");
            }
        } catch (JacksonException malformed) {
            throw new MalformedReportException("The body is not a whole Trivy JSON report: " + malformed.getOriginalMessage());
        }
        if (schemaVersion == null || schemaVersion != SCHEMA_VERSION) {
            throw InvalidInputException.of("SchemaVersion", "must be " + SCHEMA_VERSION + " (trivy --format json);"
                    + " this report's is " + (schemaVersion == null ? "missing" : schemaVersion));
        }
        return new Header(schemaVersion, createdAt, artifactName, List.copyOf(digests), trivyVersion);
    }

    private static void readDigests(JsonParser parser, JsonToken value, List<String> digests) {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken inner = parser.nextToken();
            if (name.equals("RepoDigests") && inner == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() == JsonToken.VALUE_STRING && digests.size() < MOST_DIGESTS) {
                        digests.add(parser.getString());
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    /** Every vulnerability of every result, in the report's order; call it on a file {@link #header} read. */
    static void findings(Path file, Consumer<Finding> sink) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser parser = JSON.createParser(in)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("Results") && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        result(parser, sink);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    /** One result (an OS's packages, a lock file, a jar): its target, then its vulnerabilities. */
    private static void result(JsonParser parser, Consumer<Finding> sink) {
        String target = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("Target") && value == JsonToken.VALUE_STRING) {
                target = parser.getString(); // Trivy writes it first
            } else if (name.equals("Vulnerabilities") && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode vulnerability = parser.readValueAsTree();
                    String id = text(vulnerability, "VulnerabilityID");
                    if (id != null) {
                        sink.accept(new Finding(id, text(vulnerability, "PkgName"), text(vulnerability, "InstalledVersion"),
                                text(vulnerability, "FixedVersion"), Finding.Severity.of(text(vulnerability, "Severity")),
                                text(vulnerability, "Status"), text(vulnerability, "Title"),
                                text(vulnerability, "PrimaryURL"), target));
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            return null;
        }
    }
}
