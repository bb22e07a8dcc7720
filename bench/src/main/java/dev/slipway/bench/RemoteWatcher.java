package dev.slipway.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Polls the remote's branch every few milliseconds and records, per change id, when it was first
 * seen there ({@link System#nanoTime()}): "visible on the remote" for latency figures. Also counts
 * the tip moves it saw (one per push, when pushes are further apart than the polling interval).
 */
public final class RemoteWatcher implements AutoCloseable {

    private final GitRemote remote;
    private final Duration interval;
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final List<TipMove> tipMoves = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile Throwable failure;
    private final Thread thread;

    public RemoteWatcher(GitRemote remote, Duration interval) {
        this.remote = remote;
        this.interval = interval;
        this.thread = Thread.ofPlatform().name("bench-remote-watcher").daemon().start(this::poll);
    }

    private void poll() {
        ObjectId seenTip = null;
        try (Repository repository = remote.open()) {
            while (running) {
                try {
                    Ref ref = repository.exactRef(Constants.R_HEADS + GitRemote.BRANCH);
                    long now = System.nanoTime();
                    if (ref != null && !ref.getObjectId().equals(seenTip)) {
                        tipMoves.add(new TipMove(now, learn(repository, ref.getObjectId(), seenTip, now)));
                        seenTip = ref.getObjectId();
                    }
                } catch (MissingObjectException racing) {
                    // the ref moved before this reader saw the new pack: next round
                }
                LockSupport.parkNanos(interval.toNanos());
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    private int learn(Repository repository, ObjectId tip, ObjectId previous, long now) throws IOException {
        int commits = 0;
        try (RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(tip));
            if (previous != null) {
                walk.markUninteresting(walk.parseCommit(previous));
            }
            for (RevCommit commit : walk) {
                commits++;
                for (String id : GitRemote.changeIds(commit)) {
                    firstSeen.putIfAbsent(id, now);
                }
            }
        }
        return commits;
    }

    /** When the change was first seen on the branch, or null. */
    public Long firstSeen(String changeId) {
        return firstSeen.get(changeId);
    }

    /** Waits until every one of {@code changeIds} was seen; returns those still missing at the deadline. */
    public List<String> awaitAll(Collection<String> changeIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            checkHealthy();
            var missing = new ArrayList<String>();
            for (String id : changeIds) {
                if (!firstSeen.containsKey(id)) {
                    missing.add(id);
                }
            }
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(20);
        }
    }

    /** A move of the branch's tip: when it was seen ({@link System#nanoTime()}) and how many commits it brought. */
    public record TipMove(long seenNanos, int commits) {
    }

    /** Every tip move seen so far (one per push, unless two pushes fell within one polling interval). */
    public List<TipMove> tipMoves() {
        return List.copyOf(tipMoves);
    }

    private void checkHealthy() {
        if (failure != null) {
            throw new IllegalStateException("the remote watcher failed", failure);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
