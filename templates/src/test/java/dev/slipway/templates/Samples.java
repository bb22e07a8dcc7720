package dev.slipway.templates;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A platform, a team and environments as a real installation would configure them. */
final class Samples {

    static final PlatformSettings PLATFORM = new PlatformSettings(
            "slipwaydemo.azurecr.io", List.of("slipwaydemo.azurecr.io"), "apps.contoso.example", "app-routing-system",
            "https://dev.azure.com/contoso/platform/_git/gitops", "main",
            "https://dev.azure.com/contoso/platform/_git/slipway", "charts/microservice", "v1.0.0", "argocd",
            Map.of("prod", "https://prod-aks-4f2a.hcp.westeurope.azmk8s.io:443"),
            "6a1b2c3d-0000-4000-8000-00000000000a", "7d0c9b54-1f3e-4a52-9a8e-3c2b1f0e6d41");

    static final List<EnvironmentSpec> ENVIRONMENTS = List.of(
            new EnvironmentSpec("dev", "nonprod", false),
            new EnvironmentSpec("test", "nonprod", false),
            new EnvironmentSpec("prod", "prod", true));

    static final TeamSpec PAYMENTS = new TeamSpec("payments", "0f8e2d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f",
            new TeamSpec.Quota(4000, 8192, 8000, 16384, 50),
            new TeamSpec.Quota(8000, 16384, 16000, 32768, 100));

    /**
     * The repository's fixtures/ (the build names it in slipway.fixtures; from an IDE the module
     * directory is the working directory). Missing fixtures fail the test, never skip it.
     */
    static Path fixtures() {
        String property = System.getProperty("slipway.fixtures");
        Path root = property != null ? Path.of(property) : Path.of("..", "fixtures");
        if (!java.nio.file.Files.isDirectory(root)) {
            throw new IllegalStateException("the test fixtures are missing at " + root.toAbsolutePath());
        }
        return root;
    }

    static KubernetesSchemas schemas() {
        return new KubernetesSchemas(fixtures().resolve("k8s-schemas/v1.32.2-standalone-strict"));
    }

    private Samples() {
    }
}
