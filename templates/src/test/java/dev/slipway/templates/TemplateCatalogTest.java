package dev.slipway.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateCatalogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void offersTheBuiltInTemplatesEachWithADefaultForEveryParameter() {
        var catalog = TemplateCatalog.builtIn();
        assertThat(catalog.all()).extracting(Template::id).containsExactly("cron-job", "http-service", "worker");
        for (Template template : catalog.all()) {
            assertThat(template.title()).isNotBlank();
            assertThat(template.description()).isNotBlank();
            // the defaults alone make a valid set of parameters
            assertThat(template.resolve(null)).isEqualTo(template.defaults());
            assertThat(template.resolve(JSON.createObjectNode())).isEqualTo(template.defaults());
        }
        assertThat(catalog.find("http-service").orElseThrow().defaults().path("port").asInt()).isEqualTo(8080);
        assertThat(catalog.find("worker").orElseThrow().values().path("port").asInt()).isZero();
        assertThat(catalog.find("cron-job").orElseThrow().values().path("workload").asText()).isEqualTo("cronjob");
        assertThat(catalog.find("no-such-template")).isEmpty();
    }

    @Test
    void platformAdminsAddAndReplaceTemplatesInADirectory(@TempDir Path directory) throws Exception {
        write(directory.resolve("grpc-service"), """
                id: grpc-service
                version: 0.3.0
                title: gRPC service
                description: A gRPC server on port 9090.
                chart: microservice
                values:
                  workload: deployment
                """, """
                {"type": "object", "additionalProperties": false,
                 "properties": {"port": {"type": "integer", "minimum": 1024, "maximum": 65535, "default": 9090}}}
                """);
        write(directory.resolve("worker"), """
                id: worker
                version: 2.0.0
                title: Worker (platform flavour)
                chart: microservice
                values: {workload: deployment, port: 0}
                """, """
                {"type": "object", "additionalProperties": false,
                 "properties": {"replicas": {"type": "integer", "minimum": 1, "default": 3}}}
                """);
        var catalog = TemplateCatalog.load(directory);
        assertThat(catalog.all()).extracting(Template::id)
                .containsExactly("cron-job", "grpc-service", "http-service", "worker");
        assertThat(catalog.find("grpc-service").orElseThrow().defaults().path("port").asInt()).isEqualTo(9090);
        assertThat(catalog.find("worker").orElseThrow().version()).isEqualTo("2.0.0");
    }

    @Test
    void aTemplateWithoutADefaultForSomeParameterIsRefusedByName(@TempDir Path directory) throws Exception {
        write(directory.resolve("broken"), """
                id: broken
                version: 1.0.0
                title: Broken
                chart: microservice
                """, """
                {"type": "object", "properties": {"resources": {"type": "object",
                  "properties": {"cpu": {"type": "string"}}}}}
                """);
        assertThatThrownBy(() -> TemplateCatalog.load(directory))
                .hasMessageContaining("template broken")
                .hasMessageContaining("parameters.resources.cpu");
    }

    @Test
    void aTemplateWhoseDefaultsBreakItsOwnSchemaOrWhoseFolderLiesIsRefused(@TempDir Path directory) throws Exception {
        write(directory.resolve("liar"), """
                id: liar
                version: 1.0.0
                title: Liar
                chart: microservice
                """, """
                {"type": "object", "properties": {"port": {"type": "integer", "maximum": 100, "default": 8080}}}
                """);
        assertThatThrownBy(() -> TemplateCatalog.load(directory)).hasMessageContaining("defaults break its own schema");

        Files.delete(directory.resolve("liar/template.yaml"));
        write(directory.resolve("elsewhere"), """
                id: somewhere
                version: 1.0.0
                title: Misplaced
                chart: microservice
                """, "{\"type\": \"object\"}");
        assertThatThrownBy(() -> TemplateCatalog.load(directory)).hasMessageContaining("must be named after");
    }

    @Test
    void unknownDescriptorKeysAreRefused(@TempDir Path directory) throws Exception {
        write(directory.resolve("typo"), """
                id: typo
                version: 1.0.0
                title: Typo
                chart: microservice
                valeus: {workload: deployment}
                """, "{\"type\": \"object\"}");
        assertThatThrownBy(() -> TemplateCatalog.load(directory)).hasMessageContaining("valeus");
    }

    private static void write(Path folder, String descriptor, String schema) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("template.yaml"), descriptor);
        Files.writeString(folder.resolve("parameters.schema.json"), schema);
    }
}
