package dev.slipway.portal.database;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a worker that polls the database as soon as there is something for it, instead of at its
 * next poll: wakes coming while it works are folded into one.
 */
public class WakeSignal {

    private final Semaphore permits = new Semaphore(0);

    public void wake() {
        if (permits.availablePermits() == 0) {
            permits.release();
        }
    }

    /** Waits until woken or the timeout passes. */
    public void await(long millis) throws InterruptedException {
        if (permits.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
            permits.drainPermits();
        }
    }
}
