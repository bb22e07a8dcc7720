package dev.slipway.portal.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL that an earlier portal left running on the data directory. The embedded server runs
 * in a session of its own, so a portal killed hard (SIGKILL, the OOM killer) leaves it behind, and
 * its {@code postmaster.pid} would stop the next start. Called only by a portal that holds the
 * {@link DataDirectoryLock}: then no live portal owns that server, and it is shut down cleanly.
 */
final class LeftoverPostgres {

    private static final Logger log = LoggerFactory.getLogger(LeftoverPostgres.class);

    private LeftoverPostgres() {
    }

    /** Stops the server named in {@code <pgData>/postmaster.pid} if it still runs; waits until it is gone. */
    static void stop(Path pgData, Duration timeout) {
        Path pidFile = pgData.resolve("postmaster.pid");
        Optional<ProcessHandle> server = running(pidFile);
        if (server.isEmpty()) {
            return;
        }
        ProcessHandle postgres = server.get();
        log.warn("An earlier portal left PostgreSQL (pid {}) running on {}: shutting it down", postgres.pid(), pgData);
        // SIGINT is PostgreSQL's fast shutdown: clients are cut off, the data is checkpointed
        signal(postgres, "INT");
        if (!awaitExit(postgres, timeout)) {
            // immediate shutdown: no checkpoint, recovery at the next start replays the WAL
            signal(postgres, "QUIT");
            if (!awaitExit(postgres, timeout)) {
                throw new IllegalStateException("PostgreSQL (pid " + postgres.pid() + ") left running on " + pgData
                        + " did not stop within " + timeout.multipliedBy(2).toSeconds() + " s: stop it by hand");
            }
        }
        log.info("PostgreSQL left running on {} stopped", pgData);
    }

    /** The server a pid file names, if that process is alive and is a PostgreSQL. */
    static Optional<ProcessHandle> running(Path pidFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException absent) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.isEmpty() ? "" : lines.getFirst().trim());
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
        // a pid reused by another program is not ours to stop; PostgreSQL itself takes over a stale file
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(c -> Path.of(c).getFileName().toString())
                        .filter(name -> name.equals("postgres") || name.equals("postmaster")).isPresent());
    }

    private static void signal(ProcessHandle process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            kill.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.warn("could not signal PostgreSQL (pid {}): {}", process.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
