package dev.slipway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.DaemonClient;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.FileResolver;

/**
 * Serves the bare repositories in one directory over git:// on 127.0.0.1 (JGit's daemon, pushes
 * enabled, received objects checked), with a pre-receive hook that sleeps {@code pushDelay} on every push: a remote that takes
 * that long per push, however many commits it carries.
 */
public final class SlowGitDaemon implements AutoCloseable {

    private final Daemon daemon;
    private final AtomicLong pushes = new AtomicLong();

    public SlowGitDaemon(Path repositories, Duration pushDelay) {
        daemon = new Daemon(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon.getService("git-receive-pack").setEnabled(true);
        daemon.setRepositoryResolver(new FileResolver<DaemonClient>(repositories.toFile(), true));
        daemon.setReceivePackFactory((client, repository) -> {
            var receive = new ReceivePack(repository);
            // as GitHub and Azure DevOps do: what a push brings is checked before it is accepted
            receive.setCheckReceivedObjects(true);
            receive.setPreReceiveHook((pack, commands) -> {
                pushes.incrementAndGet();
                try {
                    Thread.sleep(pushDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return receive;
        });
        try {
            daemon.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the git daemon", e);
        }
    }

    /** {@code git://127.0.0.1:<port>/<name>} for a repository directory {@code name} in the served directory. */
    public String uri(String name) {
        return "git://127.0.0.1:" + daemon.getAddress().getPort() + "/" + name;
    }

    /** Pushes that reached the hook (accepted or not). */
    public long pushes() {
        return pushes.get();
    }

    @Override
    public void close() {
        daemon.stop();
    }
}
