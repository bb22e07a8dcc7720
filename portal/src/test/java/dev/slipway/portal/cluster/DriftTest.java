package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.gitops.testing.MovableClock;
import dev.slipway.portal.environment.Environments;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What runs against what Git asks for: drifted only past the grace period, on the model's clock, and no longer once they agree. */
class DriftTest {

    static final String OLD = "sha256:" + "a".repeat(64);
    static final String NEW = "sha256:" + "b".repeat(64);
    static final EnvironmentStatus.Key KEY = new EnvironmentStatus.Key("payments", "checkout", "dev");

    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final StatusModel model = new StatusModel(new Environments(null), clock,
            new StatusProperties(Duration.ofMinutes(10), null));

    @BeforeEach
    void runningOld() {
        model.synced("nonprod");
        runs(OLD);
        model.git(KEY, new EnvironmentStatus.GitImage("1.4.1", OLD));
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.HEALTHY);
    }

    @Test
    void whatRunsDifferingFromGitPastTheGracePeriodIsDriftedUntilTheyAgree() {
        model.git(KEY, new EnvironmentStatus.GitImage("1.4.2", NEW)); // Git moved on; the cluster did not follow
        assertThat(model.status(KEY).git()).isEqualTo(new EnvironmentStatus.GitImage("1.4.2", NEW));
        clock.advance(Duration.ofMinutes(9));
        model.reevaluate();
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.HEALTHY);

        clock.advance(Duration.ofMinutes(1));
        model.reevaluate();
        EnvironmentStatus drifted = model.status(KEY);
        assertThat(drifted.state()).isEqualTo(EnvironmentStatus.State.DRIFTED);
        assertThat(drifted.reason()).isEqualTo("Drifted");
        assertThat(drifted.message()).contains("Git asks for " + NEW + " (1.4.2)").contains("runs " + OLD)
                .contains("2026-12-01T10:00:00Z");
        assertThat(drifted.since()).isEqualTo(Instant.parse("2026-12-01T10:10:00Z"));

        runs(NEW); // the rollout came
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.HEALTHY);
        assertThat(model.status(KEY).reason()).isNull();
    }

    @Test
    void aRolloutThatEndsWithinTheGracePeriodNeverDrifts() {
        model.git(KEY, new EnvironmentStatus.GitImage("1.4.2", NEW));
        clock.advance(Duration.ofMinutes(6));
        runs(NEW);
        clock.advance(Duration.ofMinutes(6));
        model.reevaluate();
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.HEALTHY);

        // a new mismatch starts its own grace period
        model.git(KEY, new EnvironmentStatus.GitImage("1.4.3", OLD));
        clock.advance(Duration.ofMinutes(9));
        model.reevaluate();
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.HEALTHY);
    }

    @Test
    void aDegradedRolloutStaysDegradedAndAnUnknownClusterNeverDrifts() {
        model.git(KEY, new EnvironmentStatus.GitImage("1.4.2", NEW));
        model.deployment(KEY, new Workloads.DeploymentState("payments-dev", "checkout", 2, 2, 1, 0, 0, 0,
                List.of(new Workloads.Condition("Progressing", "False", "ProgressDeadlineExceeded", "timed out"))));
        clock.advance(Duration.ofMinutes(20));
        model.reevaluate();
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.DEGRADED);
        assertThat(model.status(KEY).reason()).isEqualTo("ProgressDeadlineExceeded");

        model.unreachable("nonprod");
        model.reevaluate();
        assertThat(model.status(KEY).state()).isEqualTo(EnvironmentStatus.State.UNKNOWN);
        assertThat(model.status(KEY).git()).isEqualTo(new EnvironmentStatus.GitImage("1.4.2", NEW));
    }

    private void runs(String digest) {
        model.deployment(KEY, new Workloads.DeploymentState("payments-dev", "checkout", 1, 1, 1, 1, 1, 1, List.of()));
        model.pod(KEY, new Workloads.PodState("payments-dev", "checkout-1", List.of(
                new Workloads.ContainerState(digest, true, null, null))));
    }
}
