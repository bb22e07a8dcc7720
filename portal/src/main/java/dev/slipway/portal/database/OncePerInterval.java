package dev.slipway.portal.database;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Periodic work that one replica does per interval, however many run: a thread of its own, and a
 * ShedLock lock in PostgreSQL held at least most of the interval, so that the other replicas' rounds
 * in it find it taken. A round that fails is logged and the next one comes at its time. Started
 * with the portal when enabled.
 */
public abstract class OncePerInterval implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OncePerInterval.class);

    private final String name;
    private final Duration interval;
    private final Clock clock;
    private final LockingTaskExecutor locks;
    private final boolean enabled;
    private ScheduledExecutorService scheduler;

    /** @param name the lock's name, and the thread's */
    protected OncePerInterval(String name, Duration interval, LockProvider locks, Clock clock, boolean enabled) {
        this.name = name;
        this.interval = interval;
        this.clock = clock;
        this.locks = new DefaultLockingTaskExecutor(locks);
        this.enabled = enabled;
    }

    /** One round of the work, whatever it returns. */
    protected abstract Object round();

    /** One round, unless another replica has had one within the interval. Returns whether this one ran. */
    public boolean runOnce() {
        var lock = new LockConfiguration(clock.instant(), name, max(interval.multipliedBy(3), Duration.ofMinutes(5)),
                interval.minus(interval.dividedBy(10)));
        try {
            return locks.executeWithLock(this::round, lock).wasExecuted();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.error("{} failed; trying again in {}", name, interval, e);
        }
    }

    @Override
    public void start() {
        if (!enabled) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("slipway-" + name).daemon().factory());
        scheduler.scheduleWithFixedDelay(this::runSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
