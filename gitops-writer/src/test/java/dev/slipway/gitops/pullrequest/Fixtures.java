package dev.slipway.gitops.pullrequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real provider payloads in the repository's {@code fixtures/} (see each folder's PROVENANCE.md).
 * Tests that need a state the fixtures lack derive it from a fixture by changing single fields,
 * and say so where they do.
 */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static Path root() {
        String property = System.getProperty("slipway.fixtures");
        // the root pom sets slipway.fixtures; from an IDE the module directory is the working directory
        Path root = property != null ? Path.of(property) : Path.of("..", "fixtures");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("fixtures not found at " + root.toAbsolutePath()
                    + " (set -Dslipway.fixtures)");
        }
        return root;
    }

    /** A GitHub example value, as stored (the file is the JSON value itself). */
    static ObjectNode github(String file) {
        return (ObjectNode) read(root().resolve("github").resolve(file));
    }

    /**
     * The response body for {@code status} of an Azure DevOps spec example: the files wrap it as
     * {@code responses.<status>.body}, next to the request's {@code parameters}.
     */
    static ObjectNode azureResponse(String file, int status) {
        JsonNode body = azureExample(file).path("responses").path(String.valueOf(status)).path("body");
        if (!body.isObject()) {
            throw new IllegalStateException(file + " has no object body for " + status);
        }
        return (ObjectNode) body.deepCopy();
    }

    /** The whole Azure DevOps spec example (parameters, responses, vendor keys). */
    static JsonNode azureExample(String file) {
        return read(root().resolve("azure-devops").resolve(file));
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nothing listens on (bound, then released), for "connection refused". */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
