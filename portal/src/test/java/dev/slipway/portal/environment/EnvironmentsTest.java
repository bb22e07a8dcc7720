package dev.slipway.portal.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Environments are configuration; their names keep every team's namespaces apart. */
class EnvironmentsTest {

    @Test
    void anEnvironmentNameWithAHyphenIsRefusedAtStartUp() {
        // team a-dev's test and team a's dev-test would both be namespace a-dev-test
        assertThatThrownBy(() -> new Environments(List.of(new Environment("dev-test", "nonprod", Environment.Tier.NONPROD))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain a hyphen");
    }

    @Test
    void namespacesOfAdversarialTeamsNeverMeet() {
        var environments = new Environments(null);
        var seen = new HashSet<String>();
        for (String team : List.of("a", "a-dev", "a-dev-test", "dev", "a-test", "test-a", "pay", "pay-ments")) {
            for (Environment environment : environments.all()) {
                assertThat(seen.add(environment.namespaceOf(team))).as(team + " in " + environment.name()).isTrue();
            }
        }
    }
}
