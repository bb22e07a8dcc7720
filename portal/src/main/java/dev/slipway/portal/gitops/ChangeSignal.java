package dev.slipway.portal.gitops;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Wakes the worker as soon as a change is committed, instead of waiting for its next poll. */
@Component
class ChangeSignal {

    private final Semaphore permits = new Semaphore(0);

    void wake() {
        if (permits.availablePermits() == 0) {
            permits.release();
        }
    }

    /** Waits until woken or the timeout passes. */
    void await(long millis) throws InterruptedException {
        if (permits.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
            permits.drainPermits();
        }
    }
}
