package dev.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.charts.MicroserviceChart.Rendered;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every object the chart renders, in every scenario, against the Kubernetes v1.32.2 strict JSON schemas. A kind
 * without a schema must be listed in {@link KubernetesSchemas#NO_SCHEMA}, or the test fails.
 */
class KubernetesSchemaConformanceTest {

  static final KubernetesSchemas SCHEMAS = new KubernetesSchemas();
  static final Set<String> VALIDATED_KINDS = new TreeSet<>();

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("defaults", new String[] {}),
        Arguments.of("http-service", new String[] {"http-service"}),
        Arguments.of("http-service with Key Vault", new String[] {"http-service", "key-vault"}),
        Arguments.of("worker", new String[] {"worker"}),
        Arguments.of("cron-job", new String[] {"cron-job"}),
        Arguments.of("cron-job with Key Vault", new String[] {"cron-job", "key-vault"}),
        Arguments.of("single replica", new String[] {"single-replica"}),
        Arguments.of("fixed replicas", new String[] {"fixed-replicas"}),
        Arguments.of("image by digest", new String[] {"digest"}),
        Arguments.of("workload identity", new String[] {"workload-identity"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyRenderedObjectIsValidAgainstTheKubernetesSchemas(String name, String[] scenario) {
    Rendered rendered = MicroserviceChart.render(scenario);

    assertThat(rendered.objects()).isNotEmpty();
    for (JsonNode object : rendered.objects()) {
      String key = KubernetesSchemas.key(object);
      if (SCHEMAS.schemaFile(object).isPresent()) {
        assertThat(SCHEMAS.validate(object)).as("%s %s against its schema", key, name).isEmpty();
        VALIDATED_KINDS.add(key);
      } else {
        assertThat(KubernetesSchemas.NO_SCHEMA).as("kind %s has neither a schema nor a NO_SCHEMA entry", key)
            .containsKey(key);
      }
      if (key.equals("batch/v1/CronJob")) {
        assertThat(SCHEMAS.validateMetadata(object.path("metadata"))).as("CronJob metadata").isEmpty();
        assertThat(SCHEMAS.validateMetadata(object.at("/spec/jobTemplate/metadata"))).as("Job metadata").isEmpty();
        assertThat(SCHEMAS.validatePodTemplate(object.at("/spec/jobTemplate/spec/template")))
            .as("CronJob pod template against the Deployment's pod template schema").isEmpty();
      }
    }
  }

  @Test
  void theValidatorRejectsWhatKubernetesWouldRefuse() {
    // Guards against a validator that silently accepts everything (e.g. a misread dialect).
    JsonNode deployment = MicroserviceChart.render("http-service").get("Deployment");
    var broken = deployment.deepCopy();
    ((ObjectNode) broken.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
    ((ObjectNode) broken.at("/spec/template/spec/containers/0/resources/limits"))
        .putArray("cpu");
    ((ObjectNode) broken.at("/spec/template/spec")).putNull("hostNetwork").put("restartPolicy", 1);

    assertThat(String.join("\n", SCHEMAS.validate(broken)))
        .contains("imagePullPolicyy", "spec.template.spec.containers[0].resources.limits.cpu", "restartPolicy");
    assertThat(SCHEMAS.validatePodTemplate(broken.at("/spec/template"))).isNotEmpty();
  }

  @AfterAll
  static void everyKindWithASchemaWasValidated() {
    assertThat(VALIDATED_KINDS).contains("apps/v1/Deployment", "v1/Service", "v1/ServiceAccount",
        "networking.k8s.io/v1/Ingress", "autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget");
  }
}
