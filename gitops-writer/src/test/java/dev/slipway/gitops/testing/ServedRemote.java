package dev.slipway.gitops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.DaemonClient;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;
import org.eclipse.jgit.transport.resolver.FileResolver;

/**
 * A bare repository served over {@code git://} on 127.0.0.1 by JGit's daemon, pushes enabled: a
 * remote reached the way production reaches Azure DevOps or GitHub (a receive-pack on the other end
 * of a connection, with fsck of what it receives), with a pre-receive hook a test can make refuse
 * pushes, or slow them down.
 */
public final class ServedRemote implements AutoCloseable {

    /** Decides on a pushed command and the commits it adds: null lets it through, a message refuses it. */
    public interface Policy extends BiFunction<ReceiveCommand, List<RevCommit>, String> {
    }

    private final Path directory;
    private final Daemon daemon;
    private final AtomicInteger pushes = new AtomicInteger();
    private final AtomicReference<Policy> policy = new AtomicReference<>();
    private final AtomicReference<String> hiddenFromNextFetch = new AtomicReference<>();
    private volatile Duration delay = Duration.ZERO;

    private ServedRemote(Path directory) {
        this.directory = directory;
        daemon = new Daemon(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon.getService("git-receive-pack").setEnabled(true);
        daemon.setRepositoryResolver(new FileResolver<DaemonClient>(directory.getParent().toFile(), true));
        daemon.setReceivePackFactory((client, repository) -> {
            var receive = new ReceivePack(repository);
            receive.setCheckReceivedObjects(true);
            receive.setPreReceiveHook((pack, commands) -> {
                pushes.incrementAndGet();
                sleep(delay);
                Policy decide = policy.get();
                if (decide == null) {
                    return;
                }
                for (ReceiveCommand command : commands) {
                    try {
                        String refusal = decide.apply(command, added(repository, command));
                        if (refusal != null) {
                            command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, refusal);
                        }
                    } catch (IOException | RuntimeException e) {
                        command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "hook failed: " + e);
                    }
                }
            });
            return receive;
        });
        daemon.setUploadPackFactory((client, repository) -> {
            var upload = new UploadPack(repository);
            String hidden = hiddenFromNextFetch.getAndSet(null);
            if (hidden != null) {
                upload.setRefFilter(refs -> {
                    Map<String, Ref> shown = new java.util.HashMap<>(refs);
                    shown.keySet().removeIf(name -> name.startsWith(hidden));
                    return shown;
                });
            }
            return upload;
        });
        try {
            daemon.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the git daemon", e);
        }
    }

    /** The commits a command adds to its branch, with their messages. */
    private static List<RevCommit> added(Repository repository, ReceiveCommand command) throws IOException {
        var commits = new java.util.ArrayList<RevCommit>();
        if (command.getType() == ReceiveCommand.Type.DELETE) {
            return commits;
        }
        try (var walk = new org.eclipse.jgit.revwalk.RevWalk(repository)) {
            walk.setRetainBody(true);
            walk.markStart(walk.parseCommit(command.getNewId()));
            if (!command.getOldId().equals(org.eclipse.jgit.lib.ObjectId.zeroId())) {
                walk.markUninteresting(walk.parseCommit(command.getOldId()));
            }
            walk.forEach(commits::add);
        }
        return commits;
    }

    /** A new, empty bare repository (default branch {@code main}) at {@code directory}, served. */
    public static ServedRemote create(Path directory) {
        try {
            Git.init().setBare(true).setDirectory(directory.toFile()).setInitialBranch("main").call().close();
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot create " + directory, e);
        }
        return serve(directory);
    }

    /** Serves an existing bare repository. */
    public static ServedRemote serve(Path directory) {
        return new ServedRemote(directory.toAbsolutePath());
    }

    /** {@code git://127.0.0.1:<port>/<name>}. */
    public String uri() {
        return "git://127.0.0.1:" + daemon.getAddress().getPort() + "/" + directory.getFileName();
    }

    public Path directory() {
        return directory;
    }

    /** From now on the pre-receive hook asks {@code decide} about every pushed command (null: accept all). */
    public void refuse(Policy decide) {
        policy.set(decide);
    }

    /** Every push waits this long in the pre-receive hook: a remote slow to accept. */
    public void delayEachPush(Duration value) {
        delay = value;
    }

    /** The next fetch does not see the refs under {@code prefix}: a clone that looked a moment too early. */
    public void hideFromNextFetch(String prefix) {
        hiddenFromNextFetch.set(prefix);
    }

    /** Pushes that reached the pre-receive hook, accepted or not. */
    public int pushes() {
        return pushes.get();
    }

    /** The repository itself, for a test to read (close it). */
    public Repository open() throws IOException {
        return Git.open(directory.toFile()).getRepository();
    }

    private static void sleep(Duration duration) {
        if (!duration.isZero()) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        daemon.stop();
    }
}
