package dev.slipway.gitops;

import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the warm clone small: every batch leaves a pack in it, and git's gc.auto rules (more than
 * gc.autoPackLimit packs, 50 by default) say when they are repacked into one. A repack holds the
 * writer for a while (seconds in a large repository), so it belongs to a quiet moment: while changes
 * keep coming, only once the packs really pile up.
 */
final class CloneMaintenance {

    /** How many times gc.autoPackLimit packs the clone may hold while changes keep coming. */
    static final int BUSY_PACK_FACTOR = 4;
    private static final Logger log = LoggerFactory.getLogger(CloneMaintenance.class);

    private final WarmClone clone;

    CloneMaintenance(WarmClone clone) {
        this.clone = clone;
    }

    /** After a batch, under the clone's lock: a repack only past the busy limit. */
    void afterBatch() {
        if (clone.repository() instanceof FileRepository file
                && file.getObjectDatabase().getPacks().size() > BUSY_PACK_FACTOR * autoPackLimit()) {
            repack(false);
        }
    }

    /**
     * While nothing waits: a repack when gc.auto says so, of the clone and of a remote on this
     * machine (local mode's own, whose receive-pack's own auto gc is off: it ran in the background of
     * every push past 50 packs, repacking the whole remote while the portal was busiest). Returns at
     * once if a command holds the clone.
     */
    void whenIdle() {
        if (clone.lock().tryLock()) {
            try {
                repack(true);
                repackLocalRemote();
            } finally {
                clone.lock().unlock();
            }
        }
    }

    /** Local mode's remote: Slipway pushes to it, and repacks it itself, in the foreground. */
    static void takeOver(java.io.File remote) {
        try (var repository = new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setGitDir(remote)
                .setMustExist(true).build()) {
            var config = repository.getConfig();
            if (config.getBoolean("receive", null, "autogc", true) || config.getBoolean("gc", null, "autoDetach", true)) {
                config.setBoolean("receive", null, "autogc", false);
                config.setBoolean("gc", null, "autoDetach", false);
                config.save();
            }
        } catch (java.io.IOException e) {
            log.warn("cannot configure the local remote {}: {}", remote, e.getMessage());
        }
    }

    private void repackLocalRemote() {
        java.io.File remote = clone.localRemote();
        if (remote == null) {
            return;
        }
        try (var repository = (FileRepository) new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                .setGitDir(remote).setMustExist(true).build()) {
            GC gc = new GC(repository);
            gc.setAuto(true);
            // the packs it replaces stay for git's default hour: Argo CD or a clone may be reading them
            gc.gc().join();
        } catch (java.io.IOException | java.text.ParseException | org.eclipse.jgit.api.errors.GitAPIException
                 | RuntimeException e) {
            log.warn("could not repack the local remote {}: {}", remote, e.getMessage());
        }
    }

    private int autoPackLimit() {
        return clone.repository().getConfig().getInt("gc", "autopacklimit", 50);
    }

    private void repack(boolean onlyIfDue) {
        if (clone.repository() instanceof FileRepository file) {
            try {
                GC gc = new GC(file);
                gc.setAuto(onlyIfDue);
                // the packs it replaces go at once: only this writer reads this clone, and it holds the lock
                gc.setPackExpireAgeMillis(0);
                gc.gc().join();
            } catch (java.io.IOException | java.text.ParseException | org.eclipse.jgit.api.errors.GitAPIException
                     | RuntimeException e) {
                log.warn("could not repack the local clone {}: {}", clone.settings().workDirectory(), e.getMessage());
            }
        }
    }
}
