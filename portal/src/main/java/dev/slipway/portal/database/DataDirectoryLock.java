package dev.slipway.portal.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The portal's claim on its data directory: an OS lock on {@code portal.lock}, held for as long as
 * the portal runs. The kernel drops it when the process dies, however it dies, so a portal that
 * holds it knows that whatever else runs on the directory was left behind by a dead one.
 */
public final class DataDirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException when a live portal holds the directory */
    public static DataDirectoryLock acquire(DataDirectory directory) {
        Path file = directory.resolve("portal.lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("Another Slipway portal is running on the data directory "
                        + directory.path() + ": stop it first, or give this one its own SLIPWAY_DATA_DIR.");
            }
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the data directory " + directory.path(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel or the process anyway
        }
    }
}
