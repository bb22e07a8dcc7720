package dev.slipway.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyCheckTest {

    private static final PolicyCheck POLICY = new PolicyCheck(List.of("slipwaydemo.azurecr.io"));

    @Test
    void reportsEveryBrokenRuleWithTheObjectAndFieldAtFault() {
        var objects = Yaml.readAll("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: risky}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: risky}}
                  template:
                    spec:
                      containers:
                      - name: app
                        image: docker.io/library/nginx:latest
                        imagePullPolicy: IfNotPresent
                        securityContext: {privileged: true, runAsUser: 0}
                        resources: {requests: {cpu: 100m}}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: db-password}
                stringData: {password: hunter2}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: open}
                spec: {rules: []}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: bare}
                """);
        List<Violation> violations = POLICY.check(objects, true);
        String container = "Deployment/risky spec.template.spec.containers[0]";
        assertThat(violations).extracting(Violation::toString).containsExactlyInAnyOrder(
                "Secret/db-password: secrets never go into Git: reference them from Key Vault instead",
                "Ingress/open spec.tls: an Ingress must terminate TLS",
                container + ".image: must come from slipwaydemo.azurecr.io",
                container + ".image: must not use the latest tag",
                container + ".image: must be pinned by digest in production",
                container + ".imagePullPolicy: must be Always",
                container + ".resources.requests.memory: must be set",
                container + ".resources.limits.cpu: must be set",
                container + ".resources.limits.memory: must be set",
                container + ".securityContext.runAsNonRoot: must be true",
                container + ".securityContext.runAsUser: must not be root (0)",
                container + ".securityContext.privileged: must not be true",
                container + ".securityContext.allowPrivilegeEscalation: must be false",
                container + ".readinessProbe: must be set",
                container + ".livenessProbe: must be set",
                "Deployment/risky spec.replicas: more than one replica needs a HorizontalPodAutoscaler",
                "Deployment/risky: more than one replica needs a PodDisruptionBudget",
                "Namespace/bare: needs a ResourceQuota",
                "Namespace/bare: needs a LimitRange",
                "Namespace/bare: needs a RoleBinding for its team's Entra ID group (the team has none: give it one,"
                        + " or nobody may use its namespaces)",
                "Namespace/bare: needs a default-deny NetworkPolicy");
    }

    @Test
    void aTagIsEnoughOutsideProductionButNotWithoutOne() {
        var tagged = Yaml.readAll(job("slipwaydemo.azurecr.io/payments/report:1.4.2"));
        assertThat(POLICY.check(tagged, false)).isEmpty();
        assertThat(POLICY.check(tagged, true)).extracting(Violation::message)
                .containsExactly("must be pinned by digest in production");
        var pinned = Yaml.readAll(job("slipwaydemo.azurecr.io/payments/report@sha256:" + "a".repeat(64)));
        assertThat(POLICY.check(pinned, true)).isEmpty();
        var untagged = Yaml.readAll(job("slipwaydemo.azurecr.io/payments/report"));
        assertThat(POLICY.check(untagged, false)).extracting(Violation::message)
                .containsExactly("needs a tag or a digest (no tag means latest)");
        // a registry whose name merely starts like an allowed one is another registry
        var lookalike = Yaml.readAll(job("slipwaydemo.azurecr.io.evil.example/payments/report:1.0"));
        assertThat(POLICY.check(lookalike, false)).extracting(Violation::message)
                .containsExactly("must come from slipwaydemo.azurecr.io");
    }

    private static String job(String image) {
        return """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: report}
                spec:
                  schedule: "0 * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          securityContext: {runAsNonRoot: true}
                          containers:
                          - name: report
                            image: "%s"
                            imagePullPolicy: Always
                            securityContext: {allowPrivilegeEscalation: false}
                            resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
                """.formatted(image);
    }
}
