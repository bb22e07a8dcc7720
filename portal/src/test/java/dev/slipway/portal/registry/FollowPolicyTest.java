package dev.slipway.portal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which environments follow new images, and which tags they take. */
class FollowPolicyTest {

    @Test
    void byDefaultOnlyDevFollowsAndTakesAnyTagButLatest() {
        var properties = new RegistryProperties(null, null, null, null);
        assertThat(properties.followOf("dev").takes("1.4.2")).isTrue();
        assertThat(properties.followOf("dev").takes("sha-3f1c2ab")).isTrue();
        assertThat(properties.followOf("dev").takes("latest")).isFalse();
        assertThat(properties.followOf("dev").takes("LATEST")).isFalse();
        assertThat(properties.followOf("dev").takes("latest-rc")).isTrue();
        assertThat(properties.followOf("test").takes("1.4.2")).isFalse();
        assertThat(properties.followOf("prod").takes("1.4.2")).isFalse();
    }

    @Test
    void anEnvironmentCanFollowReleasesOnlyOrStopFollowing() {
        var properties = new RegistryProperties(null, Map.of(
                "test", new RegistryProperties.Follow(true, "v?[0-9]+\\.[0-9]+\\.[0-9]+"),
                "dev", new RegistryProperties.Follow(false, null)), null, null);
        assertThat(properties.followOf("test").takes("1.4.2")).isTrue();
        assertThat(properties.followOf("test").takes("v1.4.2")).isTrue();
        assertThat(properties.followOf("test").takes("1.4.2-rc1")).isFalse();
        assertThat(properties.followOf("dev").takes("1.4.2")).isFalse();
    }

    @Test
    void aPatternThatIsNoRegularExpressionStopsTheStartUp() {
        assertThatThrownBy(() -> new RegistryProperties.Follow(true, "1.[0-9"))
                .hasMessageContaining("slipway.registry.follow").hasMessageContaining("1.[0-9");
        assertThatThrownBy(() -> new RegistryProperties(null, null, java.time.Duration.ofSeconds(1), null))
                .hasMessageContaining("poll-interval");
    }
}
