package dev.slipway.portal.gitops;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The changes accepted but not yet taken by a writer, and the gate new ones pass. A change accepted
 * while many others already wait is committed seconds later, and every one after it later still;
 * holding its request a moment instead keeps each change's way into the repository short and
 * leaves the CPU to the writer rather than to yet more requests. The gate never refuses and never
 * holds long: a request waits at most {@code maxWait}, and changes postponed because the remote is
 * down are not waiting (they are not due), so an outage does not slow anyone.
 */
@Component
public class Backlog {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Backlog.class);

    // how stale the count may be; a waiting request looks again after this long
    private static final long FRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final JdbcClient jdbc;
    private final int limit;
    private final long maxWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    // guarded by lock: requests in line at the gate (first in, first out), those past it, and the
    // count of waiting changes with those stored since it was taken
    private final ArrayDeque<Object> line = new ArrayDeque<>();
    private int passing;
    private int waiting;
    private int storedSinceCount;
    private long countedAt = System.nanoTime() - 2 * FRESH_NANOS;

    Backlog(JdbcClient jdbc, GitOpsProperties properties) {
        this.jdbc = jdbc;
        this.limit = properties.backlog().limit();
        this.maxWaitNanos = properties.backlog().maxWait().toNanos();
        log.info("A creation waits while {} due changes wait for a writer, {} at most", limit,
                properties.backlog().maxWait());
    }

    /** A request past the gate; closing it (once its change is stored, or given up) makes room. */
    @FunctionalInterface
    public interface Passage extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits while the due changes no writer has taken yet, with the requests already past the gate,
     * reach the limit, or until the longest wait is over.
     */
    public Passage pass() {
        if (limit <= 0) {
            return () -> { };
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        Object request = new Object();
        lock.lock();
        try {
            line.addLast(request);
            // only the first in line looks at the backlog: nobody overtakes, and one count serves all
            while (line.peekFirst() != request || passing + waiting() >= limit) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                room.awaitNanos(Math.min(left, FRESH_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            line.remove(request);
            passing++;
            room.signalAll();
            lock.unlock();
        }
        return this::passed;
    }

    /** A writer took or finished changes: waiting requests look again now. */
    void moved() {
        lock.lock();
        try {
            countedAt = System.nanoTime() - 2 * FRESH_NANOS;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void passed() {
        lock.lock();
        try {
            passing--;
            // its change (if it was stored) waits now, though the last count did not see it
            storedSinceCount++;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private int waiting() {
        long now = System.nanoTime();
        if (now - countedAt >= FRESH_NANOS) {
            try {
                waiting = jdbc.sql("""
                                select count(*) from changes
                                where state = 'pending' and next_attempt_at <= now()
                                  and (claimed_until is null or claimed_until < now())""")
                        .query(Integer.class).single();
            } catch (org.springframework.dao.DataAccessException unreadable) {
                // the gate only paces: without a count it holds no one, and the request meets the trouble itself
                log.debug("Could not count the changes waiting for a writer: {}", unreadable.getMessage());
                waiting = 0;
            }
            countedAt = System.nanoTime();
            storedSinceCount = 0;
        }
        return waiting + storedSinceCount;
    }
}
