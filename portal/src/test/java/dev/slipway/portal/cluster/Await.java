package dev.slipway.portal.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Waiting, in the cluster tests, for what informers deliver on their own threads. */
final class Await {

    private Await() {
    }

    static void until(BooleanSupplier condition, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not in time");
            }
            Thread.sleep(20);
        }
    }

    /** The model's status of {@code key} once it passes {@code condition}. */
    static EnvironmentStatus status(StatusModel model, EnvironmentStatus.Key key, Predicate<EnvironmentStatus> condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        EnvironmentStatus status;
        do {
            status = model.status(key);
            if (condition.test(status)) {
                return status;
            }
            Thread.sleep(20);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("the model still says " + status);
    }

    /**
     * Starts the watch and waits (up to 10 s) until every informer watches: the mock server replays
     * no events from between a list and its watch.
     */
    static ClusterWatch watching(ClusterWatch watch) throws Exception {
        watch.start().get(10, TimeUnit.SECONDS);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!watch.watching() && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        return watch;
    }
}
