package dev.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.TemplateCommand;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad values are refused by real Helm (values.schema.json, then the template's own checks) with a message that names
 * the offending field. Each case is base.yaml (valid), optionally a scenario file, plus one --set.
 */
class ValuesSchemaTest {

  static Stream<Arguments> badValues() {
    return Stream.of(
        // what the issue lists
        bad("tag latest", "image.tag", "latest", "'/image/tag'"),
        bad("tag LATEST", "image.tag", "LATEST", "'/image/tag'"),
        bad("missing limits", "resources.limits", "null", "'/resources'", "'limits'"),
        bad("missing memory request", "resources.requests.memory", "null", "'/resources/requests'", "'memory'"),
        bad("unknown key at top level", "replica", "3", "additional properties 'replica' not allowed"),
        bad("unknown key nested", "image.registry", "acr.io", "'/image'", "additional properties 'registry'"),
        bad("unknown key deeply nested", "ingress.tls.issuer", "letsencrypt", "'/ingress/tls'", "'issuer'"),
        bad("service with upper case", "service", "Checkout", "'/service'"),
        bad("service starting with a digit (DNS-1035)", "service", "1checkout", "'/service'"),
        bad("service longer than 63", "service", "a".repeat(64), "'/service'"),
        bad("team with underscore", "team", "pay_ments", "'/team'"),
        bad("malformed digest", "image.digest", "sha256:abc", "'/image/digest'"),
        bad("upper-case digest", "image.digest", "sha256:" + "A".repeat(64), "'/image/digest'"),
        bad("pullPolicy IfNotPresent", "image.pullPolicy", "IfNotPresent", "'/image/pullPolicy'"),
        bad("replicas 0", "replicas", "0", "'/replicas'"),
        bad("replicas 51", "replicas", "51", "'/replicas'"),
        // more of the contract
        bad("tag in repository", "image.repository", "slipwayacr.azurecr.io/payments/checkout:1.0", "'/image/repository'"),
        bad("digest in repository", "image.repository", "acr.io/checkout@sha256:" + "a".repeat(64),
            "'/image/repository'"),
        bad("whitespace in repository", "image.repository", "acr.io/check out", "'/image/repository'"),
        bad("invalid tag", "image.tag", "-1.0", "'/image/tag'"),
        bad("cpu quantity", "resources.limits.cpu", "half", "'/resources/limits/cpu'"),
        bad("memory in millibytes", "resources.requests.memory", "128m", "'/resources/requests/memory'"),
        bad("port out of range", "port", "70000", "'/port'"),
        bad("autoscaling target 0", "autoscaling.targetCPUUtilizationPercentage", "0",
            "'/autoscaling/targetCPUUtilizationPercentage'"),
        bad("autoscaling max 101", "autoscaling.maxReplicas", "101", "'/autoscaling/maxReplicas'"),
        bad("autoscaling min 0", "autoscaling.minReplicas", "0", "'/autoscaling/minReplicas'"),
        bad("probe path without slash", "probes.liveness.path", "health", "'/probes/liveness/path'"),
        bad("root user", "securityContext.runAsUser", "0", "'/securityContext/runAsUser'"),
        bad("env key not an identifier", "env.BAD-NAME", "x", "'/env'", "BAD-NAME"),
        bad("env value not a string", "env.PORT", "8080", "'/env/PORT'"),
        bad("key vault secret name", "keyVault.secrets[0]", "db_password", "'/keyVault/secrets/0'"),
        bad("cron schedule with 4 fields", "cronJob.schedule", "0 * * *", "'/cronJob/schedule'"),
        bad("cron concurrency policy", "cronJob.concurrencyPolicy", "Sometimes", "'/cronJob/concurrencyPolicy'"),
        bad("unknown workload", "workload", "statefulset", "'/workload'"),
        bad("workload identity client id", "workloadIdentity.clientId", "not-a-guid", "'/workloadIdentity/clientId'"),
        // cross-field rules
        bad("ingress without host", "ingress.enabled", "true", "'/ingress/host'"),
        badWith("ingress on a worker", "worker", "ingress.enabled", "true", "'/port'"),
        badWith("key vault without client id", "key-vault", "workloadIdentity.clientId", "",
            "'/workloadIdentity/clientId'"),
        badWith("deployment without any port", "worker", "healthPort", "0", "'/healthPort'"),
        badWith("cron job name over 52", "cron-job", "service", "a".repeat(53), "'/service'"),
        // checks in the templates (not expressible in JSON Schema)
        bad("min over max replicas", "autoscaling.minReplicas", "7", "autoscaling.minReplicas (7)",
            "autoscaling.maxReplicas (6)"),
        bad("instance label over 63", "environment", "e".repeat(60), "app.kubernetes.io/instance"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValuesAreRejectedNamingTheField(String name, String scenario, String key, String value, String[] expected) {
    TemplateCommand template = scenario == null ? MicroserviceChart.template() : MicroserviceChart.template(scenario);

    assertThatThrownBy(template.set(key, value)::call)
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(expected));
  }

  private static Arguments bad(String name, String key, String value, String... expected) {
    return Arguments.of(name, null, key, value, expected);
  }

  private static Arguments badWith(String name, String scenario, String key, String value, String... expected) {
    return Arguments.of(name, scenario, key, value, expected);
  }
}
