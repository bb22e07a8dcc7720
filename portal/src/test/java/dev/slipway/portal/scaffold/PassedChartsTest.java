package dev.slipway.portal.scaffold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.templates.EnvironmentSpec;
import dev.slipway.templates.PlatformSettings;
import dev.slipway.templates.Renderer;
import dev.slipway.templates.Rendering;
import dev.slipway.templates.ServiceSpec;
import dev.slipway.templates.TeamSpec;
import dev.slipway.templates.TemplateCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A creation may skip rendering the chart when values that differ only in the service's names
 * passed before. That holds only while the chart uses the names as text: checked here against the
 * real chart through the real Helm.
 */
class PassedChartsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PlatformSettings PLATFORM = new PlatformSettings("slipwayacr.azurecr.io", null,
            "apps.contoso.example", "app-routing-system", "https://github.com/contoso/gitops", "main",
            "https://github.com/contoso/slipway", "charts/microservice", "v1.0.0", "argocd", Map.of(), null,
            "7d0c9b54-1f3e-4a52-9a8e-3c2b1f0e6d41");
    private static final List<EnvironmentSpec> ENVIRONMENTS = List.of(new EnvironmentSpec("dev", "nonprod", false),
            new EnvironmentSpec("prod", "prod", true));
    private static final TeamSpec.Quota QUOTA = new TeamSpec.Quota(4000, 8192, 8000, 16384, 50);
    private static final Renderer RENDERER = new Renderer(PLATFORM);
    private static final HelmCharts HELM = helm();

    @AfterAll
    static void removeUnpackedCharts() throws Exception {
        HELM.destroy();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "http-service | {}",
            "http-service | {\"ingress\": {\"enabled\": true, \"path\": \"/api\"}, \"keyVault\": {\"enabled\": true, \"name\": \"kv-pay\", \"secrets\": [\"db\"]}, \"workloadIdentity\": {\"clientId\": \"1b2c3d4e-0000-4000-8000-000000000001\"}}",
            "worker | {\"autoscaling\": {\"minReplicas\": 2, \"maxReplicas\": 8}}",
            "cron-job | {}"})
    void theChartRendersTheNamesAsTextOnly(String templateId, String parameters) throws Exception {
        var passed = new PassedCharts(RENDERER);
        ServiceSpec service = new ServiceSpec("pay-2", "ledger-9x", "");
        ServiceSpec placeholder = PassedCharts.placeholder(service);
        Rendering rendering = render(templateId, parameters, service);
        for (EnvironmentSpec environment : ENVIRONMENTS) {
            ObjectNode values = withImage(rendering.chartValues().get(environment.name()));

            String real = HELM.render("microservice", values).toString();
            String abstracted = HELM.render("microservice", passed.abstracted(values, service, environment)).toString();

            assertThat(abstracted).doesNotContain("ledger-9x").doesNotContain("pay-2");
            assertThat(abstracted.replace(placeholder.name(), service.name()).replace(placeholder.team(), service.team()))
                    .as("%s in %s", templateId, environment.name()).isEqualTo(real);
        }
    }

    @Test
    void aPassIsReusedOnlyForTheSameValuesWithNamesOfTheSameLengths() throws Exception {
        var passed = new PassedCharts(RENDERER);
        EnvironmentSpec dev = ENVIRONMENTS.getFirst();
        ServiceSpec ledger = new ServiceSpec("payments", "ledger", "");
        remember(passed, dev, values("http-service", "{}", ledger, dev), ledger);

        ServiceSpec sameLengths = new ServiceSpec("checkout", "wallet", "");
        assertThat(passes(passed, dev, values("http-service", "{}", sameLengths, dev), sameLengths)).isTrue();

        ServiceSpec longer = new ServiceSpec("payments", "ledger2", "");
        assertThat(passes(passed, dev, values("http-service", "{}", longer, dev), longer)).isFalse();
        assertThat(passes(passed, dev, values("http-service", "{\"replicas\": 3}", sameLengths, dev),
                sameLengths)).isFalse();
        assertThat(passes(passed, ENVIRONMENTS.get(1),
                values("http-service", "{}", sameLengths, ENVIRONMENTS.get(1)), sameLengths)).isFalse();
        assertThat(passes(passed, dev, values("worker", "{}", sameLengths, dev), sameLengths)).isFalse();

        // a repository Slipway did not derive from the names is compared as it is
        ObjectNode elsewhere = values("http-service", "{}", sameLengths, dev);
        ((ObjectNode) elsewhere.get("image")).put("repository", "docker.io/library/nginx");
        assertThat(passes(passed, dev, elsewhere, sameLengths)).isFalse();
    }

    private static boolean passes(PassedCharts passed, EnvironmentSpec environment, ObjectNode values, ServiceSpec service) {
        return passed.passed(passed.key("microservice", environment, values, service));
    }

    private static void remember(PassedCharts passed, EnvironmentSpec environment, ObjectNode values, ServiceSpec service) {
        passed.remember(passed.key("microservice", environment, values, service));
    }

    private static ObjectNode values(String templateId, String parameters, ServiceSpec service, EnvironmentSpec environment)
            throws Exception {
        return withImage(render(templateId, parameters, service).chartValues().get(environment.name()));
    }

    private static Rendering render(String templateId, String parameters, ServiceSpec service) throws Exception {
        return RENDERER.render(TemplateCatalog.builtIn().find(templateId).orElseThrow(), JSON.readTree(parameters),
                service, new TeamSpec(service.team(), null, QUOTA, QUOTA), ENVIRONMENTS, false);
    }

    private static ObjectNode withImage(JsonNode values) {
        ObjectNode copy = values.deepCopy();
        copy.with("image").put("digest", "sha256:" + "ab".repeat(32));
        return copy;
    }

    private static HelmCharts helm() {
        try {
            return new HelmCharts();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
