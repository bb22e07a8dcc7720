package dev.slipway.portal.environment;

import dev.slipway.templates.KubernetesNames;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The ordered environments, from configuration ({@code slipway.environments}): by default dev and
 * test on the nonprod cluster and prod on the prod cluster. A wrong list stops the start-up.
 */
@ConfigurationProperties("slipway")
public record Environments(List<Environment> environments) {

    public Environments {
        if (environments == null || environments.isEmpty()) {
            environments = List.of(
                    new Environment("dev", "nonprod", Environment.Tier.NONPROD),
                    new Environment("test", "nonprod", Environment.Tier.NONPROD),
                    new Environment("prod", "prod", Environment.Tier.PROD));
        }
        var names = new HashSet<String>();
        for (Environment environment : environments) {
            if (environment.name() == null || !KubernetesNames.dns1123Label(environment.name()).isEmpty()) {
                throw new IllegalArgumentException("slipway.environments: '" + environment.name()
                        + "' is not a valid environment name (a DNS-1123 label)");
            }
            if (environment.name().contains("-")) {
                // <team>-<environment> names a namespace: with a hyphen, team a-dev's test and team a's dev-test would meet
                throw new IllegalArgumentException("slipway.environments: '" + environment.name()
                        + "' must not contain a hyphen, so that no two teams' namespaces can share a name");
            }
            if (environment.cluster() == null || !KubernetesNames.dns1123Label(environment.cluster()).isEmpty()) {
                throw new IllegalArgumentException("slipway.environments: environment " + environment.name()
                        + " needs a cluster name that is a DNS-1123 label");
            }
            if (environment.tier() == null) {
                throw new IllegalArgumentException("slipway.environments: environment " + environment.name()
                        + " needs a tier (nonprod or prod)");
            }
            if (!names.add(environment.name())) {
                throw new IllegalArgumentException("slipway.environments: " + environment.name() + " appears twice");
            }
        }
        environments = List.copyOf(environments);
    }

    public List<Environment> all() {
        return environments;
    }

    public Optional<Environment> find(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
