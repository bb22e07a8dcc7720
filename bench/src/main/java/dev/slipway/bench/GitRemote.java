package dev.slipway.bench;

import dev.slipway.gitops.Change;
import dev.slipway.gitops.FileWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A bare Git repository on disk as the GitOps remote, read with JGit: the commits of a branch and
 * the {@code Slipway-Change-Id} trailers they carry. Opened afresh on each call, so it always shows
 * the repository as it is now.
 */
public final class GitRemote {

    public static final String BRANCH = "main";

    /** One commit of the branch: its subject and every change id it carries. */
    public record RemoteCommit(String sha, String subject, List<String> changeIds) {
    }

    private final Path directory;

    private GitRemote(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** An empty bare repository whose default branch is {@code main}. */
    public static GitRemote createBare(Path directory) {
        try {
            Git.init().setBare(true).setDirectory(directory.toFile()).setInitialBranch(BRANCH).call().close();
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot create " + directory, e);
        }
        return new GitRemote(directory);
    }

    /**
     * A bare repository holding {@code source}'s objects, its branch at {@code tip} (or absent when
     * null): a remote that starts out exactly as another one was at some point.
     */
    public static GitRemote copyOf(GitRemote source, String tip, Path directory) {
        try (Git clone = Git.cloneRepository().setBare(true).setURI(source.directory().toUri().toString())
                .setDirectory(directory.toFile()).setBranch(BRANCH).call()) {
            Repository repository = clone.getRepository();
            RefUpdate update = repository.updateRef(Constants.R_HEADS + BRANCH);
            if (tip == null) {
                update.setForceUpdate(true);
                update.delete();
            } else {
                update.setNewObjectId(ObjectId.fromString(tip));
                update.setForceUpdate(true);
                update.update();
            }
            clone.getRepository().getConfig().unset("remote", "origin", "url");
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException("cannot copy " + source + " to " + directory, e);
        }
        return new GitRemote(directory);
    }

    /** The branch's tip, or null when it does not exist yet. */
    public String tip() {
        try (Repository repository = open()) {
            Ref ref = repository.exactRef(Constants.R_HEADS + BRANCH);
            return ref == null ? null : ref.getObjectId().name();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static GitRemote at(Path directory) {
        return new GitRemote(directory);
    }

    public Path directory() {
        return directory;
    }

    Repository open() throws IOException {
        return new FileRepositoryBuilder().setGitDir(directory.toFile()).setBare().setMustExist(true).build();
    }

    /** The branch's commits, newest first (empty when the branch does not exist yet). */
    public List<RemoteCommit> commits() {
        try (Repository repository = open(); RevWalk walk = new RevWalk(repository)) {
            Ref ref = repository.exactRef(Constants.R_HEADS + BRANCH);
            if (ref == null) {
                return List.of();
            }
            walk.markStart(walk.parseCommit(ref.getObjectId()));
            var commits = new ArrayList<RemoteCommit>();
            for (RevCommit commit : walk) {
                commits.add(new RemoteCommit(commit.name(), commit.getShortMessage(), changeIds(commit)));
            }
            return commits;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory, e);
        }
    }

    /** Every change id on the branch with the commits carrying it (more than one would be a duplicate). */
    public Map<String, List<String>> commitsByChangeId() {
        var byChange = new LinkedHashMap<String, List<String>>();
        for (RemoteCommit commit : commits()) {
            for (String id : commit.changeIds()) {
                byChange.computeIfAbsent(id, k -> new ArrayList<>()).add(commit.sha());
            }
        }
        return byChange;
    }

    static List<String> changeIds(RevCommit commit) {
        return commit.getFooterLines(Change.TRAILER).stream().map(String::trim).toList();
    }

    /** The files at the branch's tip whose paths match, with their content. */
    public Map<String, String> filesAtTip(Predicate<String> paths) {
        try (Repository repository = open(); RevWalk walk = new RevWalk(repository)) {
            Ref ref = repository.exactRef(Constants.R_HEADS + BRANCH);
            if (ref == null) {
                return Map.of();
            }
            var files = new LinkedHashMap<String, String>();
            try (TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(walk.parseCommit(ref.getObjectId()).getTree());
                tree.setRecursive(true);
                while (tree.next()) {
                    if (paths.test(tree.getPathString())) {
                        ObjectId blob = tree.getObjectId(0);
                        files.put(tree.getPathString(),
                                new String(repository.open(blob).getBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory, e);
        }
    }

    /**
     * The files a service of {@code team} named {@code name} brought to the branch, as the changes the
     * portal writes: its own files must be absent ({@link FileWrite.Mode#CREATE}), the team's namespace
     * bundles and projects are written only if absent ({@link FileWrite.Mode#CREATE_IF_ABSENT}).
     */
    public List<FileWrite> serviceFiles(String team, String name) {
        String own = "services/" + team + "/" + name + "/";
        String app = "/apps/" + team + "/" + name + "-";
        String namespace = "/namespaces/" + team + "-";
        String project = "/projects/" + team + ".yaml";
        var files = new ArrayList<FileWrite>();
        filesAtTip(path -> path.startsWith(own) || path.contains(app) || path.contains(namespace) || path.endsWith(project))
                .forEach((path, content) -> files.add(new FileWrite(path, content,
                        path.contains(namespace) || path.endsWith(project) ? FileWrite.Mode.CREATE_IF_ABSENT : FileWrite.Mode.CREATE)));
        return Collections.unmodifiableList(files);
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
