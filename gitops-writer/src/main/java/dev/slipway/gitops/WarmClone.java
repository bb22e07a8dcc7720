package dev.slipway.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's bare clone of the GitOps repository, kept between changes: what the remote's
 * branches were at the last fetch (as {@code refs/remotes/origin/*}), and which change ids the
 * target branch already carries. Commits are built in it in memory, never checked out. One command
 * at a time works on it, under {@link #lock()}.
 */
final class WarmClone implements AutoCloseable {

    static final String REMOTE = "origin";
    private static final Logger log = LoggerFactory.getLogger(WarmClone.class);

    private final GitOpsWriter.Settings settings;
    private final Repository repository;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<UUID, String> commitsByChange = new ConcurrentHashMap<>();
    private ObjectId indexedTip;

    WarmClone(GitOpsWriter.Settings settings) {
        this.settings = settings;
        try {
            this.repository = open(settings);
            java.io.File remote = localRemote();
            if (remote != null) {
                CloneMaintenance.takeOver(remote);
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot prepare the local clone in " + settings.workDirectory(), e);
        }
    }

    GitOpsWriter.Settings settings() {
        return settings;
    }

    Repository repository() {
        return repository;
    }

    ReentrantLock lock() {
        return lock;
    }

    /**
     * The git directory of a remote on this machine (a path or file:// URL: local mode's own), or
     * null for one reached over the network.
     */
    java.io.File localRemote() {
        try {
            var uri = new URIish(settings.remoteUri());
            if (uri.getScheme() != null && !"file".equals(uri.getScheme())) {
                return null;
            }
            java.io.File directory = new java.io.File(uri.getPath());
            java.io.File dotGit = new java.io.File(directory, Constants.DOT_GIT);
            return dotGit.isDirectory() ? dotGit : directory.isDirectory() ? directory : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Whether the target branch has been fetched since this clone was opened. */
    boolean fetched() {
        return indexedTip != null;
    }

    /** The remote's branches as they are now; learns the change ids new commits on the target carry. */
    void fetch() {
        try {
            var fetch = Git.wrap(repository).fetch().setRemote(REMOTE)
                    // a wildcard, so that an empty remote (no branch yet) is not an error
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + "*:" + Constants.R_REMOTES + REMOTE + "/*"))
                    .setRemoveDeletedRefs(true);
            if (settings.credentials() != null) {
                fetch.setCredentialsProvider(settings.credentials());
            }
            fetch.call();
            index(tip());
        } catch (IOException | GitAPIException e) {
            throw new GitOpsUnavailableException("GitOps remote unavailable: " + e.getMessage(), e);
        }
    }

    /** The target branch's tip as last fetched or pushed; null when the branch does not exist yet. */
    ObjectId tip() throws IOException {
        return branch(settings.branch());
    }

    /** A branch's tip as last fetched, or null. */
    ObjectId branch(String name) throws IOException {
        Ref ref = repository.exactRef(Constants.R_REMOTES + REMOTE + "/" + name);
        return ref == null ? null : ref.getObjectId();
    }

    /** Records that the remote accepted {@code commit} as the tip of branch {@code name}. */
    void pushed(String name, ObjectId commit) throws IOException {
        var update = repository.updateRef(Constants.R_REMOTES + REMOTE + "/" + name);
        update.setNewObjectId(commit);
        update.setForceUpdate(true);
        update.update();
    }

    /** Records that the remote deleted branch {@code name}. */
    void deleted(String name) throws IOException {
        var update = repository.updateRef(Constants.R_REMOTES + REMOTE + "/" + name);
        update.setForceUpdate(true);
        update.delete();
    }

    /** The commit on the target branch that carries the change, as far as this clone knows. */
    Optional<String> commitOf(UUID changeId) {
        return Optional.ofNullable(commitsByChange.get(changeId));
    }

    /** Records commits the target branch now carries, after a push the remote accepted. */
    void committed(Map<UUID, ObjectId> commits, ObjectId newTip) {
        commits.forEach((id, commit) -> commitsByChange.put(id, commit.name()));
        indexedTip = newTip;
    }

    /** Packs what it inserts into one file on flush, instead of a file per object. */
    ObjectInserter newInserter() {
        if (repository.getObjectDatabase() instanceof ObjectDirectory directory) {
            PackInserter inserter = directory.newPackInserter();
            // a duplicate object in the pack is harmless; asking the object directory about each one is not free
            inserter.checkExisting(false);
            // trees of object ids barely compress: spend little on trying
            inserter.setCompressionLevel(java.util.zip.Deflater.BEST_SPEED);
            return inserter;
        }
        return repository.newObjectInserter();
    }

    /** Learns the change ids of the commits between the last indexed tip and {@code tip}. */
    private void index(ObjectId tip) throws IOException {
        if (tip == null || tip.equals(indexedTip)) {
            indexedTip = tip;
            return;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(tip));
            if (indexedTip != null && repository.getObjectDatabase().has(indexedTip)) {
                walk.markUninteresting(walk.parseCommit(indexedTip));
            }
            for (RevCommit commit : walk) {
                for (String id : commit.getFooterLines(Change.TRAILER)) {
                    try {
                        commitsByChange.putIfAbsent(UUID.fromString(id.trim()), commit.name());
                    } catch (IllegalArgumentException notOurs) {
                        log.debug("ignoring malformed {} in {}", Change.TRAILER, commit.name());
                    }
                }
            }
        }
        indexedTip = tip;
    }

    private static Repository open(GitOpsWriter.Settings settings) throws IOException, java.net.URISyntaxException {
        Path directory = settings.workDirectory();
        Files.createDirectories(directory);
        Repository repository = new FileRepositoryBuilder().setGitDir(directory.toFile()).setBare().build();
        if (!Files.exists(directory.resolve("config")) || !Files.exists(directory.resolve("objects"))) {
            repository.create(true);
        }
        StoredConfig config = repository.getConfig();
        config.setString("remote", REMOTE, "url", new URIish(settings.remoteUri()).toString());
        config.setBoolean("gc", null, "autoDetach", false);
        config.save();
        return repository;
    }

    @Override
    public void close() {
        repository.close();
    }
}
