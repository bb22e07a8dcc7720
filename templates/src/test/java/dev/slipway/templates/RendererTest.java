package dev.slipway.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Renderer RENDERER = new Renderer(Samples.PLATFORM);
    private static final TemplateCatalog TEMPLATES = TemplateCatalog.builtIn();

    /**
     * The exact files each template gives with its defaults: what users get. Reviewed by eye; when
     * the output changes on purpose, regenerate with -Dslipway.updateGolden=true and review the diff.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http-service", "worker", "cron-job"})
    void eachTemplateRendersItsGoldenFiles(String templateId) throws Exception {
        Template template = TEMPLATES.find(templateId).orElseThrow();
        String name = templateId.equals("cron-job") ? "nightly-report" : templateId.equals("worker") ? "ledger-sync" : "checkout";
        ChangeSet changeSet = RENDERER.render(template, null,
                new ServiceSpec("payments", name, "Owned by payments: \"quoted\", colons: yes\nand a second line."),
                Samples.PAYMENTS, Samples.ENVIRONMENTS, true).changeSet();
        Path folder = GOLDEN.resolve(templateId);
        if (Boolean.getBoolean("slipway.updateGolden")) {
            for (var file : changeSet.files()) {
                Path target = folder.resolve(file.path());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.content());
            }
        }
        var expected = new TreeMap<String, String>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                expected.put(folder.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        assertThat(new TreeMap<>(changeSet.asMap())).isEqualTo(expected);
    }

    @Test
    void writesOnlyTheRepositoryLayoutFromTheDesign() {
        ChangeSet changeSet = render("http-service", null, "checkout", "").changeSet();
        assertThat(changeSet.asMap().keySet()).containsExactlyInAnyOrder(
                "services/payments/checkout/service.yaml",
                "services/payments/checkout/values.yaml",
                "services/payments/checkout/dev/values.yaml",
                "services/payments/checkout/test/values.yaml",
                "services/payments/checkout/prod/values.yaml",
                "clusters/nonprod/apps/payments/checkout-dev.yaml",
                "clusters/nonprod/apps/payments/checkout-test.yaml",
                "clusters/prod/apps/payments/checkout-prod.yaml",
                "clusters/nonprod/namespaces/payments-dev.yaml",
                "clusters/nonprod/namespaces/payments-test.yaml",
                "clusters/prod/namespaces/payments-prod.yaml",
                "clusters/nonprod/projects/payments.yaml",
                "clusters/prod/projects/payments.yaml");
        assertThat(changeSet.asMap().keySet()).allMatch(p -> p.startsWith("clusters/") || p.startsWith("services/"));
    }

    @Test
    void theArgoApplicationPointsAtTheChartWithTheSharedAndTheEnvironmentsValues() {
        JsonNode application = Yaml.read(render("http-service", null, "checkout", "").changeSet().asMap()
                .get("clusters/prod/apps/payments/checkout-prod.yaml"));
        assertThat(application.path("kind").asText()).isEqualTo("Application");
        assertThat(application.at("/metadata/name").asText()).isEqualTo("payments-checkout-prod");
        assertThat(application.at("/spec/project").asText()).isEqualTo("team-payments");
        assertThat(application.at("/spec/destination/namespace").asText()).isEqualTo("payments-prod");
        assertThat(application.at("/spec/destination/server").asText()).isEqualTo("https://prod-aks-4f2a.hcp.westeurope.azmk8s.io:443");
        assertThat(application.at("/spec/sources/0/path").asText()).isEqualTo("charts/microservice");
        assertThat(application.at("/spec/sources/0/helm/valueFiles").toString()).isEqualTo(
                "[\"$values/services/payments/checkout/values.yaml\",\"$values/services/payments/checkout/prod/values.yaml\"]");
        assertThat(application.at("/spec/sources/1/ref").asText()).isEqualTo("values");
    }

    @Test
    void aChartPublishedToAnOciRegistryIsAHelmSourceByNameAndVersionThatTheProjectAllows() {
        var oci = new PlatformSettings(Samples.PLATFORM.registry(), Samples.PLATFORM.allowedRegistries(),
                Samples.PLATFORM.ingressDomain(), Samples.PLATFORM.ingressNamespace(), Samples.PLATFORM.gitopsRepoUrl(),
                Samples.PLATFORM.gitopsRevision(), "oci://slipwaydemo.azurecr.io/helm/", "charts/microservice", "1.0.0",
                Samples.PLATFORM.argoNamespace(), Samples.PLATFORM.clusterServers(), null, Samples.PLATFORM.tenantId());
        Map<String, String> files = new Renderer(oci).render(TEMPLATES.find("http-service").orElseThrow(), null,
                new ServiceSpec("payments", "checkout", ""), Samples.PAYMENTS, Samples.ENVIRONMENTS, true).changeSet().asMap();
        JsonNode chart = Yaml.read(files.get("clusters/prod/apps/payments/checkout-prod.yaml")).at("/spec/sources/0");
        assertThat(chart.path("repoURL").asText()).isEqualTo("slipwaydemo.azurecr.io/helm");
        assertThat(chart.path("chart").asText()).isEqualTo("microservice");
        assertThat(chart.path("targetRevision").asText()).isEqualTo("1.0.0");
        assertThat(chart.has("path")).isFalse();
        assertThat(Yaml.read(files.get("clusters/prod/projects/payments.yaml")).at("/spec/sourceRepos").toString())
                .contains("\"slipwaydemo.azurecr.io/helm\"");
    }

    @Test
    void theTeamsProjectConfinesItsApplicationsToItsNamespacesOnThatClusterAndToSlipwaysRepositories() {
        Map<String, String> files = render("http-service", null, "checkout", "").changeSet().asMap();
        JsonNode nonprod = Yaml.read(files.get("clusters/nonprod/projects/payments.yaml"));
        assertThat(nonprod.path("kind").asText()).isEqualTo("AppProject");
        assertThat(nonprod.at("/metadata/name").asText()).isEqualTo("team-payments");
        assertThat(nonprod.at("/metadata/namespace").asText()).isEqualTo(Samples.PLATFORM.argoNamespace());
        // before the Applications that use it, when the root Application syncs one commit bringing both
        assertThat(nonprod.at("/metadata/annotations").path("argocd.argoproj.io/sync-wave").asInt()).isNegative();
        assertThat(nonprod.at("/spec/destinations").findValuesAsText("namespace"))
                .containsExactly("payments-dev", "payments-test");
        assertThat(nonprod.at("/spec/destinations").findValuesAsText("server")).containsOnly(Samples.PLATFORM.serverOf("nonprod"));
        assertThat(nonprod.at("/spec/sourceRepos").toString()).contains(Samples.PLATFORM.gitopsRepoUrl(),
                Samples.PLATFORM.chartRepoUrl());
        assertThat(nonprod.at("/spec/sourceRepos")).hasSize((int) java.util.stream.Stream.of(
                Samples.PLATFORM.gitopsRepoUrl(), Samples.PLATFORM.chartRepoUrl()).distinct().count());
        assertThat(nonprod.at("/spec/clusterResourceWhitelist").isArray()).isTrue();
        assertThat(nonprod.at("/spec/clusterResourceWhitelist")).isEmpty();
        assertThat(nonprod.at("/spec/namespaceResourceBlacklist").findValuesAsText("kind"))
                .contains("ResourceQuota", "LimitRange", "NetworkPolicy", "RoleBinding");
        assertThat(nonprod.at("/spec/roles/0/groups").toString()).contains(Samples.PAYMENTS.entraGroupId());

        JsonNode prod = Yaml.read(files.get("clusters/prod/projects/payments.yaml"));
        assertThat(prod.at("/spec/destinations").findValuesAsText("namespace")).containsExactly("payments-prod");
        assertThat(prod.at("/spec/destinations/0/server").asText()).isEqualTo("https://prod-aks-4f2a.hcp.westeurope.azmk8s.io:443");
    }

    /**
     * Names that split two ways: a team and service whose hyphens could move between them. No two of
     * them share a file, a namespace or an AppProject; the only name they can share is the Argo CD
     * Application's, {@code <team>-<service>-<env>}, exactly when {@code <team>-<service>} is the same
     * (the catalog refuses the second such service: ServiceCreationTest).
     */
    @Test
    void adversarialTeamAndServiceNamesNeverShareAPathANamespaceOrAProject() {
        String[][] pairs = {{"a-b", "c"}, {"a", "b-c"}, {"a", "b"}, {"a-b", "c-dev"}, {"a-b-c", "dev"},
                {"a", "dev"}, {"a-dev", "test"}, {"ab", "c"}, {"a", "bc"}, {"payments", "checkout"},
                {"payments-checkout", "api"}, {"payments", "checkout-api"}};
        var owners = new java.util.HashMap<String, String>();
        var namespaces = new java.util.HashMap<String, String>();
        var applications = new java.util.HashMap<String, String>();
        for (String[] pair : pairs) {
            var team = new TeamSpec(pair[0], Samples.PAYMENTS.entraGroupId(), Samples.PAYMENTS.nonprod(), Samples.PAYMENTS.prod());
            Rendering rendering = RENDERER.render(TEMPLATES.find("http-service").orElseThrow(), null,
                    new ServiceSpec(pair[0], pair[1], ""), team, Samples.ENVIRONMENTS, true);
            String owner = pair[0] + "/" + pair[1];
            for (String path : rendering.changeSet().asMap().keySet()) {
                // a team's own shared files (bundles, project) belong to the team, not to one service
                String holder = GitOpsLayout.sharedByTeam(path) ? pair[0] : owner;
                String before = owners.putIfAbsent(path, holder);
                assertThat(before == null || before.equals(holder)).as("%s written by %s and %s", path, before, holder).isTrue();
                if (path.contains("/apps/")) {
                    String name = Yaml.read(rendering.changeSet().asMap().get(path)).at("/metadata/name").asText();
                    String other = applications.putIfAbsent(name, owner);
                    assertThat(other == null || (other.replace('/', '-')).equals(owner.replace('/', '-')))
                            .as("application %s of %s and %s", name, other, owner).isTrue();
                }
            }
            for (EnvironmentSpec environment : Samples.ENVIRONMENTS) {
                String before = namespaces.putIfAbsent(environment.namespaceOf(pair[0]), pair[0] + " " + environment.name());
                assertThat(before == null || before.equals(pair[0] + " " + environment.name())).isTrue();
            }
        }
        // the pairs whose Applications share a name are exactly those whose <team>-<service> is the same
        assertThat(applications).containsKey("a-b-c-dev");
        assertThat(owners.get("clusters/nonprod/apps/a-b/c-dev.yaml")).isEqualTo("a-b/c");
        assertThat(owners.get("clusters/nonprod/apps/a/b-c-dev.yaml")).isEqualTo("a/b-c");
    }

    @Test
    void environmentsGetTheirOwnIngressHostAndTheChartValuesMergeSharedAndOwn() {
        var parameters = JSON.createObjectNode();
        parameters.putObject("ingress").put("enabled", true);
        Rendering rendering = render("http-service", parameters, "checkout", "");
        assertThat(rendering.chartValues().get("dev").at("/ingress/host").asText())
                .isEqualTo("checkout.payments.dev.apps.contoso.example");
        assertThat(rendering.chartValues().get("prod").at("/ingress/host").asText())
                .isEqualTo("checkout.payments.apps.contoso.example");
        assertThat(rendering.chartValues().get("prod").at("/ingress/enabled").asBoolean()).isTrue();
        assertThat(rendering.chartValues().get("prod").path("environment").asText()).isEqualTo("prod");
        assertThat(rendering.chartValues().get("prod").at("/image/repository").asText())
                .isEqualTo("slipwaydemo.azurecr.io/payments/checkout");
    }

    @Test
    void unknownParametersWrongTypesAndOutOfRangeValuesNameTheirField() throws Exception {
        var invalid = assertInvalid("http-service", """
                {"port": "eighty", "replicas": 0, "colour": "blue",
                 "resources": {"limits": {"cpu": "lots"}, "requests": {"memory": "1Ti"}},
                 "ingress": {"enabled": "yes"}}""");
        assertThat(invalid).extracting(Violation::path).contains(
                "parameters.port", "parameters.replicas", "parameters.colour",
                "parameters.resources.limits.cpu", "parameters.resources.requests.memory", "parameters.ingress.enabled");
        assertThat(invalid).filteredOn(v -> v.path().equals("parameters.colour"))
                .extracting(Violation::message).containsExactly("is not a parameter of template http-service");
    }

    @Test
    void resourcesMustFitTogetherAndWithinAContainersMaximum() throws Exception {
        assertThat(assertInvalid("worker", """
                {"resources": {"requests": {"cpu": "2", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "512Mi"}}}"""))
                .extracting(Violation::path)
                .containsExactlyInAnyOrder("parameters.resources.requests.cpu", "parameters.resources.requests.memory");
        assertThat(assertInvalid("http-service", """
                {"resources": {"limits": {"cpu": "16", "memory": "64Gi"}}}"""))
                .extracting(Violation::path)
                .containsExactlyInAnyOrder("parameters.resources.limits.cpu", "parameters.resources.limits.memory");
        assertThat(assertInvalid("http-service", "{\"autoscaling\": {\"minReplicas\": 5, \"maxReplicas\": 2}}"))
                .extracting(Violation::path).containsExactly("parameters.autoscaling.maxReplicas");
        assertThat(assertInvalid("http-service", "{\"keyVault\": {\"enabled\": true}}"))
                .extracting(Violation::path).containsExactlyInAnyOrder("parameters.keyVault.name",
                        "parameters.keyVault.secrets", "parameters.workloadIdentity.clientId");
    }

    @Test
    void namesThatAreNotKubernetesNamesAreRefusedBeforeAnythingIsRendered() {
        for (String bad : List.of("Checkout", "1checkout", "check_out", "-x", "x-", "a.b", "../../etc", "", "a".repeat(60))) {
            assertThatThrownBy(() -> RENDERER.render(TEMPLATES.find("worker").orElseThrow(), null,
                    new ServiceSpec("payments", bad, ""), Samples.PAYMENTS, Samples.ENVIRONMENTS, false))
                    .as(bad).isInstanceOfSatisfying(InvalidServiceException.class,
                            e -> assertThat(e.violations()).extracting(Violation::path).containsOnly("name"));
        }
        assertThatThrownBy(() -> RENDERER.render(TEMPLATES.find("worker").orElseThrow(), null,
                new ServiceSpec("../payments", "checkout", ""), Samples.PAYMENTS, Samples.ENVIRONMENTS, false))
                .isInstanceOfSatisfying(InvalidServiceException.class,
                        e -> assertThat(e.violations()).extracting(Violation::path).containsOnly("team"));
    }

    @Test
    void aNameTooLongForItsArgoCdApplicationIsRefused() {
        // payments-<name>-prod is the Application's name and Argo CD's instance label: 63 characters at most
        String longest = "s" + "a".repeat(63 - "payments-".length() - "-prod".length() - 1);
        assertThat(RENDERER.render(TEMPLATES.find("worker").orElseThrow(), null, new ServiceSpec("payments", longest, ""),
                Samples.PAYMENTS, Samples.ENVIRONMENTS, false).changeSet().files()).isNotEmpty();
        assertThatThrownBy(() -> RENDERER.render(TEMPLATES.find("worker").orElseThrow(), null,
                new ServiceSpec("payments", longest + "b", ""), Samples.PAYMENTS, Samples.ENVIRONMENTS, false))
                .isInstanceOfSatisfying(InvalidServiceException.class, e -> assertThat(e.violations())
                        .singleElement().satisfies(v -> assertThat(v.message()).contains("the Argo CD application")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"runs {{ .Values.secret }}", "echo ${HOME}", "$(rm -rf /)", "`id`", "bell\u0007", "nul\u0000"})
    void descriptionsWithExpansionsOrControlCharactersAreRefusedByName(String description) {
        assertThatThrownBy(() -> render("worker", null, "checkout", description))
                .isInstanceOfSatisfying(InvalidServiceException.class,
                        e -> assertThat(e.violations()).extracting(Violation::path).containsOnly("description"));
    }

    @Test
    void theChangeSetRefusesPathsOutsideClustersAndServices() {
        for (String path : List.of("README.md", "charts/microservice/values.yaml", "services/../charts/x.yaml",
                "/services/a.yaml", "services//a.yaml", "services/./a.yaml", "services/a/..", "services")) {
            assertThatThrownBy(() -> new ChangeSet.File(path, "x")).as(path).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theNamespaceBundleBindsTheTeamToEditOutsideProdAndToViewInProd() {
        Map<String, String> files = render("worker", null, "checkout", "").changeSet().asMap();
        List<JsonNode> dev = Yaml.readAll(files.get("clusters/nonprod/namespaces/payments-dev.yaml"));
        List<JsonNode> prod = Yaml.readAll(files.get("clusters/prod/namespaces/payments-prod.yaml"));
        assertThat(roleBinding(dev, "team-edit").at("/roleRef/name").asText()).isEqualTo("edit");
        assertThat(roleBinding(prod, "team-view").at("/roleRef/name").asText()).isEqualTo("view");
        assertThat(prod).noneMatch(o -> o.at("/roleRef/name").asText().equals("edit"));
        assertThat(roleBinding(prod, "team-view").at("/subjects/0/name").asText()).isEqualTo(Samples.PAYMENTS.entraGroupId());
        assertThat(quota(dev).at("/spec/hard/limits.cpu").asText()).isEqualTo("8");
        assertThat(quota(prod).at("/spec/hard/limits.cpu").asText()).isEqualTo("16");
        assertThat(quota(prod).at("/spec/hard/pods").asText()).isEqualTo("100");
        assertThat(dev).extracting(o -> o.path("kind").asText() + "/" + o.at("/metadata/name").asText()).containsExactly(
                "Namespace/payments-dev", "ResourceQuota/team-quota", "LimitRange/container-defaults",
                "RoleBinding/team-edit", "RoleBinding/platform-viewers", "NetworkPolicy/default-deny-ingress",
                "NetworkPolicy/allow-from-ingress-controller", "NetworkPolicy/allow-within-namespace");
    }

    @Test
    void aTeamWithoutAnEntraGroupGetsNamespacesThePolicyRefuses() {
        var noGroup = new TeamSpec("search", null, Samples.PAYMENTS.nonprod(), Samples.PAYMENTS.prod());
        var policy = new PolicyCheck(List.of(Samples.PLATFORM.registry()));
        for (EnvironmentSpec environment : Samples.ENVIRONMENTS) {
            var bundle = Yaml.readAll(NamespaceBundle.file(noGroup, environment, Samples.PLATFORM).content());
            assertThat(policy.check(bundle, environment.production())).extracting(Violation::toString)
                    .singleElement().asString().contains("needs a RoleBinding for its team's Entra ID group");
            var withGroup = Yaml.readAll(NamespaceBundle.file(Samples.PAYMENTS, environment, Samples.PLATFORM).content());
            assertThat(policy.check(withGroup, environment.production())).isEmpty();
        }
    }

    @Test
    void everyNamespaceBundleObjectIsValidAgainstTheKubernetesSchemas() {
        KubernetesSchemas schemas = Samples.schemas();
        var noGroup = new TeamSpec("search", null, Samples.PAYMENTS.nonprod(), Samples.PAYMENTS.prod());
        for (TeamSpec team : List.of(Samples.PAYMENTS, noGroup)) {
            for (EnvironmentSpec environment : Samples.ENVIRONMENTS) {
                for (JsonNode object : Yaml.readAll(NamespaceBundle.file(team, environment, Samples.PLATFORM).content())) {
                    assertThat(schemas.covers(object)).as(object.path("kind").asText()).isTrue();
                    assertThat(schemas.validate(object)).as(object.toString()).isEmpty();
                }
            }
        }
    }

    @Test
    void theSchemaCheckReallyRefusesBrokenObjects() {
        var broken = Yaml.read("""
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: q, namespace: x}
                spec: {hard: {pods: "10"}, surprise: true}
                """);
        assertThat(Samples.schemas().validate(broken)).extracting(Violation::toString)
                .anySatisfy(v -> assertThat(v).contains("surprise"));
    }

    @Test
    void thePolicyCheckPassesEveryNamespaceBundle() {
        var check = new PolicyCheck(Samples.PLATFORM.allowedRegistries());
        for (EnvironmentSpec environment : Samples.ENVIRONMENTS) {
            var objects = Yaml.readAll(NamespaceBundle.file(Samples.PAYMENTS, environment, Samples.PLATFORM).content());
            assertThat(check.check(objects, environment.production())).isEmpty();
        }
    }

    private static JsonNode roleBinding(List<JsonNode> objects, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals("RoleBinding")
                && o.at("/metadata/name").asText().equals(name)).findFirst().orElseThrow();
    }

    private static JsonNode quota(List<JsonNode> objects) {
        return objects.stream().filter(o -> o.path("kind").asText().equals("ResourceQuota")).findFirst().orElseThrow();
    }

    private static Rendering render(String template, JsonNode parameters, String name, String description) {
        return RENDERER.render(TEMPLATES.find(template).orElseThrow(), parameters,
                new ServiceSpec("payments", name, description), Samples.PAYMENTS, Samples.ENVIRONMENTS, true);
    }

    private static List<Violation> assertInvalid(String template, String parameters) throws Exception {
        try {
            render(template, JSON.readTree(parameters), "checkout", "");
        } catch (InvalidServiceException e) {
            return e.violations();
        }
        throw new AssertionError("parameters were accepted: " + parameters);
    }
}
