package dev.slipway.portal.scaffold;

import dev.slipway.gitops.GitOpsUnavailableException;
import dev.slipway.portal.gitops.ChangeRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A Change Slipway plans against the GitOps branch at start-up and stores once (replicas plan the
 * same change under the same id), off the start-up thread; tried again every 30 s while the
 * repository cannot be read, so that the portal starts without it.
 */
abstract class StartupChange implements SmartLifecycle {

    private static final Duration RETRY = Duration.ofSeconds(30);
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String thread;
    private final String subject;
    private ScheduledExecutorService executor;

    /**
     * @param thread  the name of its thread
     * @param subject what is checked, for the log ("its layout")
     */
    StartupChange(String thread, String subject) {
        this.thread = thread;
        this.subject = subject;
    }

    /** Plans against the branch as it is now and stores the Change; empty when there is nothing to do. */
    abstract Optional<ChangeRecord> plan();

    private void attempt() {
        try {
            plan().ifPresent(c -> log.info("Checked the GitOps repository's {}: change {}, {}", subject, c.id(), c.title()));
        } catch (GitOpsUnavailableException unavailable) {
            log.info("Cannot read the GitOps repository to check {}, trying again in {}: {}", subject, RETRY,
                    unavailable.getMessage());
            synchronized (this) {
                if (executor != null) {
                    executor.schedule(this::attempt, RETRY.toSeconds(), TimeUnit.SECONDS);
                }
            }
        } catch (RuntimeException e) {
            log.error("Could not check the GitOps repository's {}", subject, e);
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(thread).daemon().factory());
        executor.execute(this::attempt);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
