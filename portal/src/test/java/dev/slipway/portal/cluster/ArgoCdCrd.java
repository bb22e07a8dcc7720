package dev.slipway.portal.cluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Installs Argo CD's Application kind in a test cluster, as Argo CD's install manifest does (names, scope, status subresource). */
final class ArgoCdCrd {

    private ArgoCdCrd() {
    }

    static CustomResourceDefinition install(KubernetesClient client) {
        var crd = new CustomResourceDefinitionBuilder().withNewMetadata().withName("applications.argoproj.io").endMetadata()
                .withNewSpec().withGroup("argoproj.io").withScope("Namespaced")
                .withNewNames().withKind("Application").withListKind("ApplicationList").withPlural("applications")
                .withSingular("application").addToShortNames("app", "apps").endNames()
                .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build();
        return client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
}
