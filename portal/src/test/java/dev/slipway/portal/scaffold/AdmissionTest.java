package dev.slipway.portal.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.portal.api.OverloadedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The creation bulkhead: a bounded number at once, the rest waiting briefly in order, then 429. */
class AdmissionTest {

    @Test
    void aFullBulkheadRefusesAfterItsWaitWithARetryAfter() {
        var admission = new Admission(2, Duration.ofMillis(50));
        try (var first = admission.enter(); var second = admission.enter()) {
            long started = System.nanoTime();
            assertThatThrownBy(admission::enter).isInstanceOfSatisfying(OverloadedException.class,
                    busy -> assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        }
        // the places are back once closed
        try (var again = admission.enter()) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void aWaitingCreationGoesOnAsSoonAsAPlaceIsFree() throws Exception {
        var admission = new Admission(1, Duration.ofSeconds(5));
        var held = admission.enter();
        var waiting = CompletableFuture.supplyAsync(() -> {
            try (var permit = admission.enter()) {
                return true;
            }
        });
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        held.close();
        assertThat(waiting.get(2, TimeUnit.SECONDS)).isTrue();
    }
}
