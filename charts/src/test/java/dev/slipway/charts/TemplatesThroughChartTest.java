package dev.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import dev.slipway.templates.EnvironmentSpec;
import dev.slipway.templates.KubernetesSchemas;
import dev.slipway.templates.PlatformSettings;
import dev.slipway.templates.PolicyCheck;
import dev.slipway.templates.Renderer;
import dev.slipway.templates.Rendering;
import dev.slipway.templates.ServiceSpec;
import dev.slipway.templates.TeamSpec;
import dev.slipway.templates.Template;
import dev.slipway.templates.TemplateCatalog;
import dev.slipway.templates.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What users really get: a service rendered from each built-in template (defaults and edge cases),
 * its values run through this chart by the real Helm, every object valid against the Kubernetes
 * schemas and through the platform's policy, in every environment.
 */
class TemplatesThroughChartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PlatformSettings PLATFORM = new PlatformSettings("slipwayacr.azurecr.io", null,
            "apps.contoso.example", "app-routing-system", "https://github.com/contoso/gitops", "main",
            "https://github.com/contoso/slipway", "charts/microservice", "v1.0.0", "argocd", Map.of(), null,
            "7d0c9b54-1f3e-4a52-9a8e-3c2b1f0e6d41");
    private static final List<EnvironmentSpec> ENVIRONMENTS = List.of(new EnvironmentSpec("dev", "nonprod", false),
            new EnvironmentSpec("test", "nonprod", false), new EnvironmentSpec("prod", "prod", true));
    private static final TeamSpec TEAM = new TeamSpec("payments", "0f8e2d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f",
            new TeamSpec.Quota(4000, 8192, 8000, 16384, 50), new TeamSpec.Quota(8000, 16384, 16000, 32768, 100));
    private static final KubernetesSchemas SCHEMAS = new KubernetesSchemas(
            dev.slipway.charts.KubernetesSchemas.DIR);
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    static List<Arguments> services() {
        return List.of(
                Arguments.of("http-service", "{}", List.of("Deployment", "HorizontalPodAutoscaler",
                        "PodDisruptionBudget", "Service", "ServiceAccount")),
                Arguments.of("http-service", """
                        {"ingress": {"enabled": true, "path": "/api"}, "port": 9000,
                         "workloadIdentity": {"clientId": "1b2c3d4e-0000-4000-8000-000000000001"},
                         "keyVault": {"enabled": true, "name": "kv-payments", "secrets": ["db-password", "api-key"]},
                         "env": {"GREETING": "hello: \\"world\\"\\n# not a comment", "MODE": "0x1F"},
                         "securityContext": {"readOnlyRootFilesystem": false}}""",
                        List.of("Deployment", "HorizontalPodAutoscaler", "Ingress", "PodDisruptionBudget",
                                "SecretProviderClass", "Service", "ServiceAccount")),
                Arguments.of("http-service", "{\"replicas\": 1, \"autoscaling\": {\"enabled\": false}}",
                        List.of("Deployment", "Service", "ServiceAccount")),
                Arguments.of("worker", "{}", List.of("Deployment", "HorizontalPodAutoscaler", "ServiceAccount")),
                Arguments.of("worker", "{\"autoscaling\": {\"minReplicas\": 2, \"maxReplicas\": 8}}",
                        List.of("Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceAccount")),
                Arguments.of("cron-job", "{}", List.of("CronJob", "ServiceAccount")),
                Arguments.of("cron-job", "{\"cronJob\": {\"schedule\": \"*/5 1-3 * * 1-5\", \"concurrencyPolicy\": \"Replace\"}}",
                        List.of("CronJob", "ServiceAccount")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("services")
    void renderedServicesAreValidKubernetesAndPassThePolicy(String templateId, String parameters, List<String> kinds,
                                                             @TempDir Path work) throws Exception {
        Template template = TemplateCatalog.builtIn().find(templateId).orElseThrow();
        Rendering rendering = new Renderer(PLATFORM).render(template, JSON.readTree(parameters),
                new ServiceSpec("payments", "ledger", "A service"), TEAM, ENVIRONMENTS, true);
        var policy = new PolicyCheck(PLATFORM.allowedRegistries());
        for (EnvironmentSpec environment : ENVIRONMENTS) {
            ObjectNode values = rendering.chartValues().get(environment.name()).deepCopy();
            values.with("image").put("digest", DIGEST);
            Path valuesFile = work.resolve(environment.name() + ".yaml");
            Files.writeString(valuesFile, Yaml.write(values));
            List<JsonNode> objects = Yaml.readAll(new Helm(MicroserviceChart.PATH).template()
                    .withName("ledger").withValuesFile(valuesFile).call());

            assertThat(objects).extracting(o -> o.path("kind").asText()).containsExactlyInAnyOrderElementsOf(kinds);
            for (JsonNode object : objects) {
                if (SCHEMAS.covers(object)) {
                    assertThat(SCHEMAS.validate(object)).as(object.toString()).isEmpty();
                } else {
                    // a kind without a schema must be one known to have none, not one whose schema went missing
                    assertThat(dev.slipway.charts.KubernetesSchemas.NO_SCHEMA).containsKey(
                            object.path("apiVersion").asText() + "/" + object.path("kind").asText());
                }
                assertThat(object.at("/metadata/labels/slipway.dev~1environment").asText()).isEqualTo(environment.name());
            }
            var everything = new java.util.ArrayList<>(objects);
            everything.addAll(Yaml.readAll(rendering.changeSet().asMap().get(
                    "clusters/" + environment.cluster() + "/namespaces/payments-" + environment.name() + ".yaml")));
            assertThat(policy.check(everything, environment.production())).isEmpty();
            if (parameters.contains("GREETING")) {
                JsonNode env = objects.stream().filter(o -> o.path("kind").asText().equals("Deployment")).findFirst()
                        .orElseThrow().at("/spec/template/spec/containers/0/env");
                assertThat(env.toString()).contains("\"name\":\"GREETING\",\"value\":\"hello: \\\"world\\\"\\n# not a comment\"")
                        .contains("\"name\":\"MODE\",\"value\":\"0x1F\"");
            }
        }
    }
}
