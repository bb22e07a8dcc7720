package dev.slipway.gitops;

import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.internal.storage.file.Pack;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the warm clone, and a remote on this machine (local mode's own), small. Every batch leaves
 * a pack of whole objects (a push carries no deltas), so both grow by every commit's trees until
 * repacked into one pack with deltas. A repack holds the writer (seconds in a large repository), so
 * it waits for the worker to be idle: once no batch came for {@link #QUIET}, a repository whose packs
 * since its last repack add up to a tenth of it is repacked; before that, only past git's
 * {@code gc.auto} limits. While changes keep coming, the clone alone is repacked, past four times
 * those limits (the remote's packs wait: repacking it too held the writer twice as often, 8 to 13 s
 * each time at 10,000 services). A repack stops when the writer closes, so that a portal asked to
 * stop does not wait for it.
 */
final class CloneMaintenance {

    /** How many times gc.autoPackLimit packs the clone may hold while changes keep coming. */
    static final int BUSY_PACK_FACTOR = 4;
    /** How long without a batch before a repository counts as quiet. */
    static final Duration QUIET = Duration.ofSeconds(5);
    /** A quiet repository is repacked once what came since its last repack is this share of it. */
    static final double GROWTH_TO_REPACK = 0.1;
    private static final Logger log = LoggerFactory.getLogger(CloneMaintenance.class);

    private final WarmClone clone;
    private final Clock clock;
    private volatile Instant lastBatch;
    private volatile boolean closing;
    /**
     * What the last idle check saw: only a batch, or the quiet time passing, can change its answer, so
     * the worker's idle loop (every 500 ms) looks at the repositories again only then. That also keeps
     * a repack from starting again and again on an unchanged repository.
     */
    private volatile boolean batchSinceCheck = true;
    private boolean checkedWhenQuiet;

    CloneMaintenance(WarmClone clone, Clock clock) {
        this.clone = clone;
        this.clock = clock;
        this.lastBatch = clock.instant();
    }

    /** After a batch, under the clone's lock: a repack only past the busy limit. */
    void afterBatch() {
        lastBatch = clock.instant();
        batchSinceCheck = true;
        if (clone.repository() instanceof FileRepository file
                && file.getObjectDatabase().getPacks().size() > BUSY_PACK_FACTOR * autoPackLimit()) {
            repackClone();
        }
    }

    /**
     * While nothing waits: the clone, and a remote on this machine, repacked when due (local mode's
     * remote has its receive-pack's own auto gc off: it ran in the background of every push past 50
     * packs, repacking the whole remote while the portal was busiest). Returns at once if a command
     * holds the clone.
     */
    void whenIdle() {
        if (closing || !clone.lock().tryLock()) {
            return;
        }
        try {
            boolean quiet = !clock.instant().isBefore(lastBatch.plus(QUIET));
            if (!batchSinceCheck && (checkedWhenQuiet || !quiet)) {
                return; // nothing came since the last look
            }
            batchSinceCheck = false;
            checkedWhenQuiet = quiet;
            if (clone.repository() instanceof FileRepository file && due(file, quiet)) {
                repackClone();
            }
            repackLocalRemote(quiet);
        } finally {
            clone.lock().unlock();
        }
    }

    /** Stops a repack under way (and any later one): the writer is closing. */
    void close() {
        closing = true;
    }

    /** Local mode's remote: Slipway pushes to it, and repacks it itself, in the foreground. */
    static void takeOver(File remote) {
        try (var repository = new FileRepositoryBuilder().setGitDir(remote).setMustExist(true).build()) {
            var config = repository.getConfig();
            if (config.getBoolean("receive", null, "autogc", true) || config.getBoolean("gc", null, "autoDetach", true)) {
                config.setBoolean("receive", null, "autogc", false);
                config.setBoolean("gc", null, "autoDetach", false);
                config.save();
            }
        } catch (IOException e) {
            log.warn("cannot configure the local remote {}: {}", remote, e.getMessage());
        }
    }

    /**
     * Whether a repository should be repacked now: past gc.auto's limits (packs or loose objects),
     * or, when quiet, holding more than one pack whose smaller ones add up to a tenth of the largest.
     */
    private static boolean due(FileRepository repository, boolean quiet) {
        if (autoGcWouldRun(repository)) {
            return true;
        }
        if (!quiet) {
            return false;
        }
        Collection<Pack> packs = repository.getObjectDatabase().getPacks();
        if (packs.size() < 2) {
            return false;
        }
        long largest = 0;
        long total = 0;
        for (Pack pack : packs) {
            long size = pack.getPackFile().length();
            largest = Math.max(largest, size);
            total += size;
        }
        return total - largest >= GROWTH_TO_REPACK * largest;
    }

    private static boolean autoGcWouldRun(FileRepository repository) {
        int packLimit = repository.getConfig().getInt("gc", "autopacklimit", 50);
        if (packLimit > 0 && repository.getObjectDatabase().getPacks().size() > packLimit) {
            return true;
        }
        // as git estimates it, from one of the 256 loose object directories: this runs at every idle moment
        String[] sample = new File(repository.getObjectsDirectory(), "17").list();
        int auto = repository.getConfig().getInt("gc", "auto", 6700);
        return auto > 0 && sample != null && sample.length * 256L > auto;
    }

    private void repackLocalRemote(boolean quiet) {
        File remote = clone.localRemote();
        if (remote == null) {
            return;
        }
        try (var repository = (FileRepository) new FileRepositoryBuilder().setGitDir(remote).setMustExist(true).build()) {
            if (due(repository, quiet)) {
                // the packs it replaces go at once, as git's repack -d does: only Slipway pushes to this remote, and
                // it holds the clone's lock; a reader that opened one keeps it open (JGit's and git's readers look for
                // the new pack when theirs is gone). Kept for git's default hour, they counted towards gc.auto's 50
                // packs and had the remote repacked again at every idle moment.
                repack(repository);
            }
        } catch (IOException e) {
            log.warn("could not repack the local remote {}: {}", remote, e.getMessage());
        }
    }

    private int autoPackLimit() {
        return clone.repository().getConfig().getInt("gc", "autopacklimit", 50);
    }

    private void repackClone() {
        if (clone.repository() instanceof FileRepository file) {
            // the packs it replaces go at once: only this writer reads this clone, and it holds the lock
            repack(file);
        }
    }

    /** Everything into one pack with deltas (JGit's GC), given up when the writer closes. */
    private void repack(FileRepository repository) {
        long start = System.nanoTime();
        try {
            GC gc = new GC(repository);
            gc.setProgressMonitor(new Cancellation());
            // JGit's default copies whole objects as they are, and the pushed and inserted packs hold nothing but
            // whole objects: its repack left 1,000 services in 8.4 MB where git repack -f makes 1.9 MB. Whole objects
            // are searched for deltas (deltas found before are kept): 1.9 MB. Merging packs without that search is no
            // quicker at 10,000 services (12 s either way: it writes every object again), and 20 times larger.
            PackConfig pack = new PackConfig(repository);
            pack.setReuseObjects(false);
            pack.setReuseDeltas(true);
            gc.setPackConfig(pack);
            gc.setPackExpireAgeMillis(0);
            int before = repository.getObjectDatabase().getPacks().size();
            gc.gc().join();
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (millis >= 1000) {
                log.info("Repacked {} ({} packs) in {} ms", repository.getDirectory(), before, millis);
            }
        } catch (IOException | java.text.ParseException | org.eclipse.jgit.api.errors.GitAPIException
                 | RuntimeException e) {
            if (closing) {
                log.info("stopped repacking {}: the writer is closing", repository.getDirectory());
            } else {
                log.warn("could not repack {}: {}", repository.getDirectory(), e.getMessage());
            }
        }
    }

    /** Tells JGit's GC to stop once the writer closes. */
    private final class Cancellation implements ProgressMonitor {
        @Override
        public void start(int totalTasks) {
        }

        @Override
        public void beginTask(String title, int totalWork) {
        }

        @Override
        public void update(int completed) {
        }

        @Override
        public void endTask() {
        }

        @Override
        public boolean isCancelled() {
            return closing;
        }

        @Override
        public void showDuration(boolean enabled) {
        }
    }
}
