package dev.slipway.portal;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Each top-level package is a feature; features use each other only through their top-level
 * package (application services, domain types), never through another's internals, and never
 * in a cycle.
 */
class FeatureBoundariesTest {

    @Test
    void featuresRespectEachOthersBoundaries() {
        ApplicationModules.of(SlipwayApplication.class).verify();
    }
}
