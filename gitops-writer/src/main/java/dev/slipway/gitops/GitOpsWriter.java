package dev.slipway.gitops;

import dev.slipway.gitops.pullrequest.PullRequest;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes changes to one branch of the GitOps repository through a warm local clone (bare: commits
 * are built in memory, never checked out). Changes waiting for the branch are batched: one commit
 * per change, one push for the batch. A push refused because the branch moved (non-fast-forward,
 * or the remote's "failed to lock") is redone on the new tip with backoff; a change whose files
 * someone else changed differently comes back as {@link Outcome.Conflicting}; nothing is ever
 * force-pushed. Every commit carries {@code Slipway-Change-Id}, and a change already on the branch
 * returns its commit instead of being written again.
 */
public final class GitOpsWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GitOpsWriter.class);
    private static final String REMOTE = "origin";
    /** How many times gc.autoPackLimit packs the clone may hold while changes keep coming. */
    static final int BUSY_PACK_FACTOR = 4;

    /**
     * @param remoteUri     a local path, {@code file://…}, or {@code https://…}
     * @param branch        the target branch, e.g. {@code main}
     * @param workDirectory where the warm clone lives (created when missing)
     * @param credentials   for HTTPS remotes; null for local ones
     * @param maxBatch      how many waiting changes one push may carry
     * @param maxAttempts   how often a batch is redone after the branch moved before giving up for now
     */
    public record Settings(String remoteUri, String branch, Path workDirectory, CredentialsProvider credentials,
                           int maxBatch, int maxAttempts, PersonIdent committer) {
        public Settings {
            Objects.requireNonNull(remoteUri, "remoteUri");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(workDirectory, "workDirectory");
            maxBatch = maxBatch <= 0 ? 64 : maxBatch;
            maxAttempts = maxAttempts <= 0 ? 12 : maxAttempts;
            committer = committer == null ? new PersonIdent("Slipway", "slipway@localhost") : committer;
        }

        public static Settings of(String remoteUri, String branch, Path workDirectory) {
            return new Settings(remoteUri, branch, workDirectory, null, 0, 0, null);
        }
    }

    private record Pending(Change change, CompletableFuture<Outcome> outcome) {
    }

    private final Settings settings;
    private final Repository repository;
    private final String branchRef;
    private final String trackingRef;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<UUID, String> commitsByChange = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private volatile boolean closed;
    private ObjectId indexedTip;

    public GitOpsWriter(Settings settings) {
        this.settings = settings;
        this.branchRef = Constants.R_HEADS + settings.branch();
        this.trackingRef = Constants.R_REMOTES + REMOTE + "/" + settings.branch();
        try {
            this.repository = openClone(settings);
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot prepare the local clone in " + settings.workDirectory(), e);
        }
        this.dispatcher = Thread.ofPlatform().name("gitops-writer-" + settings.branch()).daemon().start(this::dispatch);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Commits the change to the branch, batched with whatever else is waiting; blocks until pushed.
     *
     * @throws GitOpsUnavailableException when the remote cannot be reached: try again later
     */
    public Outcome commit(Change change) {
        return await(submit(change));
    }

    /** Like {@link #commit} without waiting: the outcome completes once the batch is pushed. */
    public CompletableFuture<Outcome> submit(Change change) {
        if (closed) {
            throw new IllegalStateException("writer closed");
        }
        var pending = new Pending(change, new CompletableFuture<>());
        queue.add(pending);
        return pending.outcome();
    }

    /**
     * Pushes the change to its own branch {@code slipway/change-<id>} and opens a pull request for
     * it. Retrying a change whose branch exists opens (or finds) the same pull request.
     */
    public Outcome propose(Change change, PullRequestProvider provider) {
        String branch = "slipway/change-" + change.id();
        lock.lock();
        try {
            fetch();
            ObjectId existing = remoteBranch(branch);
            ObjectId commit;
            if (existing != null) {
                commit = existing;
            } else {
                ObjectId base = tip();
                Applied applied;
                try (ObjectInserter inserter = newInserter(); ObjectReader reader = inserter.newReader()) {
                    applied = apply(change, base, inserter, reader, new TreeEdit(reader, inserter));
                    inserter.flush();
                }
                if (applied instanceof Applied.Conflict conflict) {
                    return new Outcome.Conflicting(change.id(), conflict.paths());
                }
                commit = ((Applied.Written) applied).commit();
                RemoteRefUpdate.Status status = push(commit, Constants.R_HEADS + branch, ObjectId.zeroId());
                if (status != RemoteRefUpdate.Status.OK && status != RemoteRefUpdate.Status.UP_TO_DATE) {
                    return new Outcome.Rejected(change.id(), "pushing " + branch + " was refused: " + status);
                }
            }
            PullRequest pullRequest = provider.open(branch, settings.branch(), change.title(), change.body());
            return new Outcome.PullRequestOpened(change.id(), branch, commit.name(), pullRequest.id(), pullRequest.url());
        } catch (IOException | GitAPIException e) {
            throw new GitOpsUnavailableException("GitOps remote unavailable: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Fetches the branch and Slipway's change branches, so that what follows sees the remote as it is. */
    public void refresh() {
        lock.lock();
        try {
            fetch();
        } catch (IOException | GitAPIException e) {
            throw new GitOpsUnavailableException("GitOps remote unavailable: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The commit of a change already on the branch (as far as the last fetch knows). */
    public java.util.Optional<String> commitOf(UUID changeId) {
        return java.util.Optional.ofNullable(commitsByChange.get(changeId));
    }

    /** The batch loop: drain what waits, write it in one push, complete each outcome. */
    private void dispatch() {
        while (!closed) {
            Pending first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            var batch = new ArrayList<Pending>();
            batch.add(first);
            queue.drainTo(batch, settings.maxBatch() - 1);
            try {
                List<Outcome> outcomes = commitAll(batch.stream().map(Pending::change).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).outcome().complete(outcomes.get(i));
                }
            } catch (RuntimeException e) {
                batch.forEach(p -> p.outcome().completeExceptionally(e));
            }
        }
    }

    /**
     * Writes the changes in order, one commit each, with one push; redone on the new tip when the
     * branch moved meanwhile.
     */
    public List<Outcome> commitAll(List<Change> changes) {
        lock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                if (attempt > 1 || indexedTip == null) {
                    fetch();
                }
                ObjectId base = tip();
                ObjectId head = base;
                var outcomes = new LinkedHashMap<UUID, Outcome>();
                var written = new HashMap<UUID, ObjectId>();
                // one inserter for the batch: its objects go into one pack, and each commit reads its parent from it
                File localRemote = localRemote();
                java.util.Set<Path> packsBefore = localRemote == null ? java.util.Set.of() : packFiles();
                try (ObjectInserter inserter = newInserter(); ObjectReader reader = inserter.newReader()) {
                    var trees = new TreeEdit(reader, inserter);
                    for (Change change : changes) {
                        String known = commitsByChange.get(change.id());
                        if (known != null) {
                            outcomes.put(change.id(), new Outcome.Committed(change.id(), known, true));
                            continue;
                        }
                        Applied applied = apply(change, head, inserter, reader, trees);
                        if (applied instanceof Applied.Conflict conflict) {
                            outcomes.put(change.id(), new Outcome.Conflicting(change.id(), conflict.paths()));
                        } else {
                            head = ((Applied.Written) applied).commit();
                            written.put(change.id(), head);
                            outcomes.put(change.id(), null);
                        }
                    }
                    inserter.flush();
                }
                if (written.isEmpty()) {
                    return List.copyOf(outcomes.values());
                }
                ObjectId expectedOld = base == null ? ObjectId.zeroId() : base;
                List<Path> batchPack = localRemote == null ? List.of() : newPackFiles(packsBefore);
                RemoteRefUpdate.Status status = batchPack.isEmpty() ? push(head, branchRef, expectedOld)
                        : deliver(batchPack, localRemote, head, branchRef, expectedOld);
                switch (status) {
                    case OK, UP_TO_DATE -> {
                        updateTracking(head);
                        written.forEach((id, commit) -> {
                            commitsByChange.put(id, commit.name());
                            outcomes.put(id, new Outcome.Committed(id, commit.name(), false));
                        });
                        indexedTip = head;
                        // while changes keep coming, repack only when the packs really pile up: see maintain()
                        if (repository instanceof FileRepository file
                                && file.getObjectDatabase().getPacks().size() > BUSY_PACK_FACTOR * autoPackLimit()) {
                            compact(false);
                        }
                        return List.copyOf(outcomes.values());
                    }
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED, REJECTED_OTHER_REASON -> {
                        if (attempt >= settings.maxAttempts()) {
                            throw new GitOpsUnavailableException("the branch " + settings.branch() + " kept moving: "
                                    + attempt + " attempts refused (" + status + ")", null);
                        }
                        backoff(attempt);
                    }
                    default -> {
                        var rejected = new ArrayList<Outcome>();
                        for (Change change : changes) {
                            Outcome outcome = outcomes.get(change.id());
                            rejected.add(outcome != null ? outcome
                                    : new Outcome.Rejected(change.id(), "the remote refused the push: " + status));
                        }
                        return rejected;
                    }
                }
            }
        } catch (IOException | GitAPIException e) {
            throw new GitOpsUnavailableException("GitOps remote unavailable: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private sealed interface Applied {
        record Written(ObjectId commit) implements Applied {
        }

        record Conflict(List<String> paths) implements Applied {
        }
    }

    /**
     * Tidies the warm clone while nothing waits: every batch leaves a pack in it, and once there are
     * more than git's gc.autoPackLimit (50) they are repacked into one. A repack holds the writer for a
     * while (seconds in a large repository), so it belongs to a quiet moment; call this when idle.
     * Returns at once if a batch is being written.
     */
    public void maintain() {
        if (lock.tryLock()) {
            try {
                compact(true);
            } finally {
                lock.unlock();
            }
        }
    }

    private int autoPackLimit() {
        return repository.getConfig().getInt("gc", "autopacklimit", 50);
    }

    /**
     * Repacks the clone into one pack; with {@code onlyIfDue}, only when git's gc.auto rules say so
     * (too many packs or loose objects). Under the lock.
     */
    private void compact(boolean onlyIfDue) {
        if (repository instanceof FileRepository file) {
            try {
                GC gc = new GC(file);
                gc.setAuto(onlyIfDue);
                // the packs it replaces go at once: only this writer reads this clone, and it holds the lock
                gc.setPackExpireAgeMillis(0);
                gc.gc().join();
            } catch (IOException | java.text.ParseException | GitAPIException | RuntimeException e) {
                log.warn("could not repack the local clone {}: {}", settings.workDirectory(), e.getMessage());
            }
        }
    }

    /** Packs what it inserts into one file on flush, instead of a file per object. */
    private ObjectInserter newInserter() {
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

    /**
     * The change's files on top of {@code parent}, as a new commit in the local clone (not pushed,
     * and not flushed: the caller flushes the inserter).
     */
    private Applied apply(Change change, ObjectId parent, ObjectInserter inserter, ObjectReader reader, TreeEdit trees)
            throws IOException {
        try (RevWalk walk = new RevWalk(reader)) {
            ObjectId parentTree = parent == null ? null : walk.parseCommit(parent).getTree();
            var files = new LinkedHashMap<String, FileWrite>();
            change.files().forEach(file -> files.put(file.path(), file));
            ObjectId tree;
            try {
                tree = trees.write(parentTree, files);
            } catch (TreeEdit.Conflict conflict) {
                return new Applied.Conflict(conflict.paths());
            }
            var commit = new CommitBuilder();
            commit.setTreeId(tree);
            if (parent != null) {
                commit.setParentId(parent);
            }
            PersonIdent now = new PersonIdent(settings.committer(), java.time.Instant.now());
            commit.setAuthor(new PersonIdent(change.authorName(), change.authorEmail() == null ? "" : change.authorEmail(),
                    now.getWhenAsInstant(), now.getZoneId()));
            commit.setCommitter(now);
            commit.setMessage(change.commitMessage());
            return new Applied.Written(inserter.insert(commit));
        }
    }

    /**
     * The git directory of a remote on this machine (a path or file:// URL to a bare repository, or
     * to a working tree's .git), or null for a remote reached over the network.
     */
    private File localRemote() {
        try {
            URIish uri = new URIish(settings.remoteUri());
            if (uri.getScheme() != null && !"file".equals(uri.getScheme())) {
                return null;
            }
            File directory = new File(uri.getPath());
            for (File gitDir : List.of(directory, new File(directory, Constants.DOT_GIT))) {
                if (new File(gitDir, "objects/pack").isDirectory() && new File(gitDir, "refs").isDirectory()) {
                    return gitDir;
                }
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private java.util.Set<Path> packFiles() throws IOException {
        Path packs = settings.workDirectory().resolve("objects/pack");
        if (!Files.isDirectory(packs)) {
            return java.util.Set.of();
        }
        try (var files = Files.list(packs)) {
            return files.collect(java.util.stream.Collectors.toSet());
        }
    }

    /** The files of the pack the batch's inserter wrote, the index last; empty when it is not one pack. */
    private List<Path> newPackFiles(java.util.Set<Path> before) throws IOException {
        var added = new ArrayList<Path>();
        for (Path file : packFiles()) {
            if (!before.contains(file)) {
                added.add(file);
            }
        }
        long packs = added.stream().filter(f -> f.toString().endsWith(".pack")).count();
        boolean indexed = added.stream().anyMatch(f -> f.toString().endsWith(".idx"));
        if (packs != 1 || !indexed) {
            return List.of();
        }
        added.sort(java.util.Comparator.comparing((Path f) -> f.toString().endsWith(".idx")));
        return added;
    }

    /**
     * A push to a remote on this machine without the transport: the batch's pack (which holds every
     * object the new commits add; all else they refer to is the remote's own history, since the
     * branch is still at {@code expectedOld}) goes into the remote's pack directory, then the branch
     * moves from {@code expectedOld} by the same compare-and-swap a receive-pack does. A refusal
     * leaves only unreferenced objects behind, which the remote's gc removes.
     */
    private RemoteRefUpdate.Status deliver(List<Path> pack, File remoteGitDir, ObjectId commit, String ref,
                                           ObjectId expectedOld) throws IOException {
        Path packDirectory = remoteGitDir.toPath().resolve("objects/pack");
        // the index last: a reader takes a pack only once its index is there
        for (Path file : pack) {
            Path target = packDirectory.resolve(file.getFileName());
            if (Files.exists(target)) {
                continue; // a pack is named by its content: the same name is the same pack
            }
            try {
                Files.createLink(target, file);
            } catch (IOException | UnsupportedOperationException notLinkable) {
                // git prune removes a tmp_ file a crash left behind
                Path incoming = packDirectory.resolve("tmp_slipway_" + UUID.randomUUID() + "_" + file.getFileName());
                Files.copy(file, incoming);
                Files.move(incoming, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        try (Repository remote = new FileRepositoryBuilder().setGitDir(remoteGitDir).setMustExist(true).build()) {
            org.eclipse.jgit.lib.RefUpdate update = remote.updateRef(ref);
            update.setExpectedOldObjectId(expectedOld);
            update.setNewObjectId(commit);
            update.setRefLogIdent(settings.committer());
            update.setRefLogMessage("push", false);
            return switch (update.update()) {
                case NEW, FAST_FORWARD -> RemoteRefUpdate.Status.OK;
                case NO_CHANGE -> RemoteRefUpdate.Status.UP_TO_DATE;
                // the branch moved (or another writer holds its lock): redone on the new tip
                case LOCK_FAILURE -> RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED;
                case REJECTED -> RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD;
                default -> RemoteRefUpdate.Status.REJECTED_OTHER_REASON;
            };
        }
    }

    private RemoteRefUpdate.Status push(ObjectId commit, String ref, ObjectId expectedOld) throws IOException {
        Transport opened;
        try {
            opened = Transport.open(repository, REMOTE);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the remote's URI is invalid", e);
        }
        try (Transport transport = opened) {
            if (settings.credentials() != null) {
                transport.setCredentialsProvider(settings.credentials());
            }
            var update = new RemoteRefUpdate(repository, commit.name(), ref, false, null, expectedOld);
            PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
            RemoteRefUpdate answered = result.getRemoteUpdate(ref);
            if (answered.getStatus() == RemoteRefUpdate.Status.REJECTED_OTHER_REASON) {
                log.debug("push to {} refused: {}", ref, answered.getMessage());
            }
            return answered.getStatus();
        }
    }

    private void fetch() throws GitAPIException, IOException {
        var fetch = Git.wrap(repository).fetch().setRemote(REMOTE)
                // a wildcard, so that an empty remote (no branch yet) is not an error
                .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + "*:" + Constants.R_REMOTES + REMOTE + "/*"))
                .setRemoveDeletedRefs(true);
        if (settings.credentials() != null) {
            fetch.setCredentialsProvider(settings.credentials());
        }
        fetch.call();
        index(tip());
    }

    private ObjectId tip() throws IOException {
        Ref ref = repository.exactRef(trackingRef);
        return ref == null ? null : ref.getObjectId();
    }

    private ObjectId remoteBranch(String branch) throws IOException {
        Ref ref = repository.exactRef(Constants.R_REMOTES + REMOTE + "/" + branch);
        return ref == null ? null : ref.getObjectId();
    }

    private void updateTracking(ObjectId head) throws IOException {
        var update = repository.updateRef(trackingRef);
        update.setNewObjectId(head);
        update.setForceUpdate(true);
        update.update();
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

    private static void backoff(int attempt) {
        long millis = Math.min(2000, 10L << Math.min(attempt, 8));
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitOpsUnavailableException("interrupted while waiting to retry", e);
        }
    }

    private static Repository openClone(Settings settings) throws IOException, java.net.URISyntaxException {
        Path directory = settings.workDirectory();
        Files.createDirectories(directory);
        Repository repository = new FileRepositoryBuilder().setGitDir(directory.toFile()).setBare().build();
        if (!Files.exists(directory.resolve("config")) || repository.getObjectDatabase() == null
                || !Files.exists(directory.resolve("objects"))) {
            repository.create(true);
        }
        StoredConfig config = repository.getConfig();
        config.setString("remote", REMOTE, "url", new URIish(settings.remoteUri()).toString());
        config.setBoolean("gc", null, "autoDetach", false);
        config.save();
        return repository;
    }

    private static Outcome await(CompletableFuture<Outcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitOpsUnavailableException("interrupted while waiting for the push", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new GitOpsUnavailableException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Package-private access for the local pull-request provider, which merges in this clone. */
    Repository repository() {
        return repository;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** Pushes {@code commit} to {@code branch} if the branch is still at {@code expectedOld}. */
    RemoteRefUpdate.Status pushTo(ObjectId commit, String branch, ObjectId expectedOld) throws IOException {
        return push(commit, Constants.R_HEADS + branch, expectedOld);
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        try {
            dispatcher.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.forEach(p -> p.outcome().completeExceptionally(new GitOpsUnavailableException("writer closed", null)));
        repository.close();
    }
}
