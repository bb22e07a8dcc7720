package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.environment.Environments;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The model's announcements: a cluster's first list is announced once it is complete, not object by
 * object as unknown (which the history would store on every restart); a cluster going away is.
 */
class StatusModelTest {

    static final EnvironmentStatus.Key DEV = new EnvironmentStatus.Key("payments", "checkout", "dev");
    static final EnvironmentStatus.Key TEST = new EnvironmentStatus.Key("payments", "checkout", "test");
    static final String DIGEST = "sha256:" + "c".repeat(64);

    final StatusModel model = new StatusModel(new Environments(null), Clock.systemUTC());
    final List<EnvironmentStatus> announced = new CopyOnWriteArrayList<>();
    final List<EnvironmentStatus> shown = new CopyOnWriteArrayList<>();

    @Test
    void theFirstListIsAnnouncedWhenCompleteAndACardOfAnEnvironmentWithNothingLearnsItToo() {
        model.listen(announced::add);
        model.listen("payments", "checkout", shown::add);
        model.git(DEV, new EnvironmentStatus.GitImage("1.4.2", DIGEST));
        model.deployment(DEV, new Workloads.DeploymentState("payments-dev", "checkout", 1, 1, 1, 1, 1, 1, List.of()));
        model.pod(DEV, new Workloads.PodState("payments-dev", "checkout-1", List.of(
                new Workloads.ContainerState(DIGEST, true, null, null))));
        assertThat(announced).isEmpty();
        assertThat(model.status(DEV).state()).isEqualTo(EnvironmentStatus.State.UNKNOWN);
        assertThat(model.status(DEV).git()).isEqualTo(new EnvironmentStatus.GitImage("1.4.2", DIGEST));

        model.synced("nonprod");
        assertThat(announced).extracting(EnvironmentStatus::state).containsExactly(EnvironmentStatus.State.HEALTHY);
        // test holds nothing of this service: its open card learns that it is not deployed, rather than unknown
        assertThat(shown).filteredOn(s -> s.key().equals(TEST)).extracting(EnvironmentStatus::state)
                .containsExactly(EnvironmentStatus.State.NOT_DEPLOYED);

        model.unreachable("nonprod");
        assertThat(announced).extracting(EnvironmentStatus::state)
                .containsExactly(EnvironmentStatus.State.HEALTHY, EnvironmentStatus.State.UNKNOWN);
        assertThat(model.status(DEV).git()).isNotNull();
    }
}
