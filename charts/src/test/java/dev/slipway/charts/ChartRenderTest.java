package dev.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.charts.MicroserviceChart.Rendered;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What a user gets for each kind of service: objects present or absent, and the fields that matter. */
class ChartRenderTest {

  static final String IMAGE = "slipwayacr.azurecr.io/payments/checkout";
  static final String DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static final Map<String, String> SELECTOR = Map.of(
      "app.kubernetes.io/name", "checkout",
      "app.kubernetes.io/instance", "checkout-dev");

  @Test
  void httpServiceHasServiceIngressAutoscalerAndDisruptionBudget() {
    Rendered rendered = MicroserviceChart.render("http-service");

    assertThat(rendered.kinds()).containsExactly("Deployment", "HorizontalPodAutoscaler", "Ingress",
        "PodDisruptionBudget", "Service", "ServiceAccount");
    assertThat(rendered.objects()).allSatisfy(o -> assertThat(o.at("/metadata/name").asString()).isEqualTo("checkout"));

    JsonNode deployment = rendered.get("Deployment");
    assertThat(deployment.at("/spec/replicas").isMissingNode())
        .as("no spec.replicas with an HPA, or Argo CD and the HPA fight").isTrue();
    assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
    assertThat(labels(deployment.at("/spec/selector/matchLabels"))).isEqualTo(SELECTOR);

    JsonNode container = rendered.container();
    assertThat(container.path("image").asString()).isEqualTo(IMAGE + ":1.4.2");
    assertThat(container.path("imagePullPolicy").asString()).isEqualTo("Always");
    assertThat(container.at("/ports/0/name").asString()).isEqualTo("http");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(container.path("ports").size()).isEqualTo(1);
    assertProbes(container, "http");
    assertThat(container.at("/resources/requests/cpu").asString()).isEqualTo("100m");
    assertThat(container.at("/resources/requests/memory").asString()).isEqualTo("128Mi");
    assertThat(container.at("/resources/limits/cpu").asString()).isEqualTo("500m");
    assertThat(container.at("/resources/limits/memory").asString()).isEqualTo("256Mi");
    assertThat(env(container)).containsEntry("SPRING_PROFILES_ACTIVE", "dev").containsEntry("LOG_FORMAT", "json");
    assertHardened(rendered);

    JsonNode spread = rendered.podTemplate().at("/spec/topologySpreadConstraints");
    assertThat(spread.findValuesAsString("topologyKey"))
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    assertThat(labels(spread.at("/0/labelSelector/matchLabels"))).isEqualTo(SELECTOR);

    JsonNode service = rendered.get("Service");
    assertThat(service.at("/spec/type").asString()).isEqualTo("ClusterIP");
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(80);
    assertThat(service.at("/spec/ports/0/targetPort").asString()).isEqualTo("http");
    assertThat(labels(service.at("/spec/selector"))).isEqualTo(SELECTOR);

    JsonNode ingress = rendered.get("Ingress");
    assertThat(ingress.at("/spec/ingressClassName").asString()).isEqualTo("webapprouting.kubernetes.azure.com");
    assertThat(ingress.at("/spec/rules/0/host").asString()).isEqualTo("checkout.dev.apps.example.com");
    assertThat(ingress.at("/spec/rules/0/http/paths/0/path").asString()).isEqualTo("/");
    assertThat(ingress.at("/spec/rules/0/http/paths/0/pathType").asString()).isEqualTo("Prefix");
    assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asString()).isEqualTo("checkout");
    assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/port/name").asString()).isEqualTo("http");
    assertThat(ingress.at("/spec/tls/0/hosts/0").asString()).isEqualTo("checkout.dev.apps.example.com");
    assertThat(ingress.at("/spec/tls/0/secretName").asString()).isEqualTo("checkout-tls");

    JsonNode hpa = rendered.get("HorizontalPodAutoscaler");
    assertThat(hpa.at("/spec/scaleTargetRef/kind").asString()).isEqualTo("Deployment");
    assertThat(hpa.at("/spec/scaleTargetRef/name").asString()).isEqualTo("checkout");
    assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(2);
    assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(6);
    assertThat(hpa.at("/spec/metrics/0/resource/name").asString()).isEqualTo("cpu");
    assertThat(hpa.at("/spec/metrics/0/resource/target/type").asString()).isEqualTo("Utilization");
    assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(70);

    JsonNode pdb = rendered.get("PodDisruptionBudget");
    assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(labels(pdb.at("/spec/selector/matchLabels"))).isEqualTo(SELECTOR);
  }

  @Test
  void everyObjectAndThePodTemplateCarryTheCommonLabels() {
    Map<String, String> common = Map.of(
        "app.kubernetes.io/name", "checkout",
        "app.kubernetes.io/instance", "checkout-dev",
        "app.kubernetes.io/part-of", "payments",
        "app.kubernetes.io/managed-by", "Helm",
        "helm.sh/chart", "microservice-1.0.0",
        "slipway.dev/team", "payments",
        "slipway.dev/service", "checkout",
        "slipway.dev/environment", "dev");
    for (String[] scenario : new String[][] {{"http-service", "key-vault"}, {"cron-job"}}) {
      Rendered rendered = MicroserviceChart.render(scenario);
      List<JsonNode> labelled = new ArrayList<>();
      rendered.objects().forEach(o -> labelled.add(o.at("/metadata/labels")));
      labelled.add(rendered.podTemplate().at("/metadata/labels"));
      if (rendered.kinds().contains("CronJob")) {
        // a CronJob's Jobs carry these too: the portal's status selects its runs by them
        labelled.add(rendered.get("CronJob").at("/spec/jobTemplate/metadata/labels"));
      }
      assertThat(labelled).allSatisfy(l -> assertThat(labels(l)).containsAllEntriesOf(common));
    }
  }

  @Test
  void workerHasNoServiceNorIngressAndProbesItsHealthPort() {
    Rendered rendered = MicroserviceChart.render("worker");

    assertThat(rendered.kinds()).containsExactly("Deployment", "HorizontalPodAutoscaler", "ServiceAccount");
    JsonNode container = rendered.container();
    assertThat(container.at("/ports/0/name").asString()).isEqualTo("health");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8081);
    assertThat(container.path("ports").size()).isEqualTo(1);
    assertProbes(container, "health");
    assertHardened(rendered);
    assertThat(rendered.get("Deployment").at("/spec/replicas").isMissingNode()).isTrue();
    JsonNode hpa = rendered.get("HorizontalPodAutoscaler");
    assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(1);
    assertThat(hpa.at("/spec/metrics/0/resource/name").asString()).isEqualTo("cpu");
    assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(75);
  }

  @Test
  void httpServiceWithASeparateHealthPortDeclaresBothPorts() {
    Rendered rendered = MicroserviceChart.template("http-service").set("healthPort", 8081).call()
        .transform(Rendered::parse);

    JsonNode container = rendered.container();
    assertThat(container.path("ports").findValuesAsString("name")).containsExactly("http", "health");
    assertProbes(container, "health");
    assertThat(rendered.get("Service").at("/spec/ports/0/targetPort").asString()).isEqualTo("http");
  }

  @Test
  void cronJobRendersACronJobAndIgnoresDeploymentOnlyValues() {
    Rendered rendered = MicroserviceChart.render("cron-job");

    // autoscaling.enabled is true and port 8080 by default: still no HPA, PDB, Service or Deployment.
    assertThat(rendered.kinds()).containsExactly("CronJob", "ServiceAccount");
    JsonNode cronJob = rendered.get("CronJob");
    assertThat(cronJob.path("apiVersion").asString()).isEqualTo("batch/v1");
    assertThat(cronJob.at("/spec/schedule").asString()).isEqualTo("*/15 * * * *");
    assertThat(cronJob.at("/spec/concurrencyPolicy").asString()).isEqualTo("Forbid");
    assertThat(cronJob.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
    assertThat(cronJob.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(3);
    assertThat(cronJob.at("/spec/jobTemplate/spec/backoffLimit").asInt()).isEqualTo(1);
    assertThat(cronJob.at("/spec/jobTemplate/spec/activeDeadlineSeconds").asInt()).isEqualTo(600);
    assertThat(rendered.podTemplate().at("/spec/restartPolicy").asString()).isEqualTo("Never");

    JsonNode container = rendered.container();
    assertThat(container.path("image").asString()).isEqualTo(IMAGE + ":1.4.2");
    assertThat(container.path("imagePullPolicy").asString()).isEqualTo("Always");
    assertThat(container.has("readinessProbe")).isFalse();
    assertThat(container.has("livenessProbe")).isFalse();
    assertThat(container.has("ports")).isFalse();
    assertThat(env(container)).containsEntry("BATCH_SIZE", "500");
    assertThat(container.at("/resources/limits/memory").asString()).isEqualTo("256Mi");
    assertHardened(rendered);
  }

  @Test
  void singleReplicaWithoutAutoscalingHasReplicasButNoAutoscalerNorDisruptionBudget() {
    Rendered rendered = MicroserviceChart.render("single-replica");

    assertThat(rendered.kinds()).containsExactly("Deployment", "Service", "ServiceAccount");
    assertThat(rendered.get("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
  }

  @Test
  void fixedReplicasGetADisruptionBudget() {
    Rendered rendered = MicroserviceChart.render("fixed-replicas");

    assertThat(rendered.kinds()).containsExactly("Deployment", "PodDisruptionBudget", "Service", "ServiceAccount");
    assertThat(rendered.get("Deployment").at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(rendered.get("PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
  }

  @Test
  void autoscalingFromOneReplicaHasNoDisruptionBudget() {
    // replicas 2 is ignored while the HPA may scale down to 1: a PDB would then block node drains.
    Rendered rendered = MicroserviceChart.template().set("replicas", 2).set("autoscaling.minReplicas", 1).call()
        .transform(Rendered::parse);

    assertThat(rendered.has("HorizontalPodAutoscaler")).isTrue();
    assertThat(rendered.has("PodDisruptionBudget")).isFalse();
  }

  @Test
  void untilItsFirstImageANewServiceRunsNoWorkload() {
    // what Slipway writes at creation: the image repository only; the first pushed image starts it
    Rendered deployment = MicroserviceChart.template().set("image.tag", "").call().transform(Rendered::parse);
    assertThat(deployment.kinds()).containsExactly("Service", "ServiceAccount");

    Rendered cronJob = MicroserviceChart.template("cron-job").set("image.tag", "").call().transform(Rendered::parse);
    assertThat(cronJob.kinds()).containsExactly("ServiceAccount");
  }

  @Test
  void imageByDigestIsPinnedWithoutTag() {
    Rendered rendered = MicroserviceChart.render("digest");

    assertThat(rendered.container().path("image").asString()).isEqualTo(IMAGE + "@" + DIGEST);
  }

  @Test
  void digestWinsOverATag() {
    Rendered rendered = MicroserviceChart.template("digest").set("image.tag", "1.4.2").call()
        .transform(Rendered::parse);

    assertThat(rendered.container().path("image").asString()).isEqualTo(IMAGE + "@" + DIGEST);
  }

  @Test
  void keyVaultSecretsAreMountedReadOnlyThroughTheCsiDriver() {
    Rendered rendered = MicroserviceChart.render("key-vault");

    JsonNode spc = rendered.get("SecretProviderClass");
    assertThat(spc.path("apiVersion").asString()).isEqualTo("secrets-store.csi.x-k8s.io/v1");
    assertThat(spc.at("/spec/provider").asString()).isEqualTo("azure");
    JsonNode parameters = spc.at("/spec/parameters");
    assertThat(parameters.path("usePodIdentity").asString()).isEqualTo("false");
    assertThat(parameters.path("clientID").asString()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(parameters.path("keyvaultName").asString()).isEqualTo("kv-payments-dev");
    assertThat(parameters.path("tenantId").asString()).isEqualTo("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    // Every parameter is a string, as the CRD requires.
    assertThat(parameters.values()).allSatisfy(v -> assertThat(v.isString()).isTrue());
    // "objects" is YAML in a string: {array: [<YAML of one object>, ...]}.
    JsonNode objects = MicroserviceChart.YAML.readTree(parameters.path("objects").asString());
    List<JsonNode> secrets = new ArrayList<>();
    objects.path("array").forEach(item -> secrets.add(MicroserviceChart.YAML.readTree(item.asString())));
    assertThat(secrets).extracting(s -> s.path("objectName").asString()).containsExactly("db-password", "stripe-api-key");
    assertThat(secrets).allSatisfy(s -> assertThat(s.path("objectType").asString()).isEqualTo("secret"));

    JsonNode volume = volume(rendered.podTemplate(), "secrets-store");
    assertThat(volume.at("/csi/driver").asString()).isEqualTo("secrets-store.csi.k8s.io");
    assertThat(volume.at("/csi/readOnly").asBoolean()).isTrue();
    assertThat(volume.at("/csi/volumeAttributes/secretProviderClass").asString()).isEqualTo("checkout");
    JsonNode mount = mount(rendered.container(), "secrets-store");
    assertThat(mount.path("mountPath").asString()).isEqualTo("/mnt/secrets");
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
  }

  @Test
  void withoutKeyVaultThereIsNoSecretProviderClassNorCsiVolume() {
    Rendered rendered = MicroserviceChart.render("http-service");

    assertThat(rendered.has("SecretProviderClass")).isFalse();
    assertThat(rendered.podTemplate().at("/spec/volumes").findValuesAsString("name")).containsExactly("tmp");
  }

  @Test
  void workloadIdentityAnnotatesTheServiceAccountAndLabelsThePods() {
    Rendered rendered = MicroserviceChart.render("workload-identity");

    JsonNode serviceAccount = rendered.get("ServiceAccount");
    assertThat(serviceAccount.at("/metadata/name").asString()).isEqualTo("checkout");
    assertThat(serviceAccount.at("/metadata/annotations/azure.workload.identity~1client-id").asString())
        .isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(rendered.podTemplate().at("/metadata/labels/azure.workload.identity~1use").asString()).isEqualTo("true");
    assertThat(rendered.podTemplate().at("/spec/serviceAccountName").asString()).isEqualTo("checkout");
  }

  @Test
  void withoutWorkloadIdentityThereIsNoAnnotationNorPodLabel() {
    Rendered rendered = MicroserviceChart.render("http-service");

    assertThat(rendered.get("ServiceAccount").at("/metadata/annotations").isMissingNode()).isTrue();
    assertThat(rendered.podTemplate().at("/metadata/labels").has("azure.workload.identity/use")).isFalse();
  }

  @Test
  void ingressTlsCanBeOffOrUseAGivenSecret() {
    Rendered custom = MicroserviceChart.template("http-service").set("ingress.tls.secretName", "wildcard-apps").call()
        .transform(Rendered::parse);
    assertThat(custom.get("Ingress").at("/spec/tls/0/secretName").asString()).isEqualTo("wildcard-apps");

    Rendered plain = MicroserviceChart.template("http-service").set("ingress.tls.enabled", false).call()
        .transform(Rendered::parse);
    assertThat(plain.get("Ingress").at("/spec/tls").isMissingNode()).isTrue();
  }

  @Test
  void writableRootFilesystemWhenAsked() {
    Rendered rendered = MicroserviceChart.template().set("securityContext.readOnlyRootFilesystem", false).call()
        .transform(Rendered::parse);

    assertThat(rendered.container().at("/securityContext/readOnlyRootFilesystem").asBoolean()).isFalse();
    assertThat(mount(rendered.container(), "tmp").path("mountPath").asString()).isEqualTo("/tmp");
  }

  /** Non-root, no privilege, no capabilities, RuntimeDefault seccomp, /tmp writable, no API token. */
  private static void assertHardened(Rendered rendered) {
    JsonNode pod = rendered.podTemplate().path("spec");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
    assertThat(pod.at("/securityContext/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(pod.path("serviceAccountName").asString()).isEqualTo("checkout");

    JsonNode securityContext = rendered.container().path("securityContext");
    assertThat(securityContext.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(securityContext.path("runAsUser").asInt()).isEqualTo(10001);
    assertThat(securityContext.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(securityContext.path("privileged").asBoolean(true)).isFalse();
    assertThat(securityContext.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(securityContext.at("/capabilities/drop/0").asString()).isEqualTo("ALL");
    assertThat(securityContext.at("/capabilities/drop").size()).isEqualTo(1);
    assertThat(securityContext.at("/capabilities/add").isMissingNode()).isTrue();
    assertThat(securityContext.at("/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");

    assertThat(volume(rendered.podTemplate(), "tmp").has("emptyDir")).isTrue();
    assertThat(mount(rendered.container(), "tmp").path("mountPath").asString()).isEqualTo("/tmp");
    assertThat(rendered.get("ServiceAccount").path("automountServiceAccountToken").asBoolean(true)).isFalse();
  }

  private static void assertProbes(JsonNode container, String port) {
    assertThat(container.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/health/readiness");
    assertThat(container.at("/readinessProbe/httpGet/port").asString()).isEqualTo(port);
    assertThat(container.at("/readinessProbe/periodSeconds").asInt()).isEqualTo(5);
    assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/health/liveness");
    assertThat(container.at("/livenessProbe/httpGet/port").asString()).isEqualTo(port);
    assertThat(container.at("/livenessProbe/initialDelaySeconds").asInt()).isEqualTo(10);
  }

  static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new TreeMap<>();
    node.forEachEntry((k, v) -> labels.put(k, v.asString()));
    return labels;
  }

  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asString(), e.path("value").asString()));
    return env;
  }

  private static JsonNode volume(JsonNode podTemplate, String name) {
    return named(podTemplate.at("/spec/volumes"), name);
  }

  private static JsonNode mount(JsonNode container, String name) {
    return named(container.path("volumeMounts"), name);
  }

  private static JsonNode named(JsonNode list, String name) {
    for (JsonNode item : list) {
      if (name.equals(item.path("name").asString())) {
        return item;
      }
    }
    throw new AssertionError("no " + name + " in " + list);
  }
}
