package dev.slipway.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/** The files the target branch holds under a directory, as the remote has them now. */
public final class ReadCommand {

    /** What the branch held at a commit: path to content (UTF-8), in git's order. */
    public record Snapshot(String commit, Map<String, String> files, boolean unchanged) {
    }

    private final WarmClone clone;
    private String directory;
    private Predicate<String> paths = path -> true;

    ReadCommand(WarmClone clone) {
        this.clone = clone;
    }

    /** A directory of the repository, e.g. {@code clusters}; every file when not set. */
    public ReadCommand under(String value) {
        this.directory = value == null || value.isEmpty() ? null : value.replaceAll("/+$", "");
        return this;
    }

    /** Only the files whose path passes are read (the others are walked past, not opened). */
    public ReadCommand matching(Predicate<String> value) {
        this.paths = value;
        return this;
    }

    /**
     * @return path to content (UTF-8), in git's order; empty when the branch does not exist yet
     * @throws GitOpsUnavailableException when the remote cannot be reached
     */
    public Map<String, String> call() {
        return snapshot(null).files();
    }

    /**
     * The files at the branch's tip, and the tip; none read when the tip is still {@code since} (a
     * reader that keeps what it read walks the tree only when the branch moved).
     *
     * @param since a commit id the caller read before, or null
     * @return the tip ({@code null} when the branch does not exist yet) and its files, or with
     *         {@code unchanged} and no files when the tip is {@code since}
     * @throws GitOpsUnavailableException when the remote cannot be reached
     */
    public Snapshot snapshot(String since) {
        clone.lock().lock();
        try {
            clone.fetch();
            ObjectId tip = clone.tip();
            var files = new LinkedHashMap<String, String>();
            if (tip == null) {
                return new Snapshot(null, files, since == null);
            }
            if (tip.name().equals(since)) {
                return new Snapshot(since, Map.of(), true);
            }
            try (ObjectReader reader = clone.repository().newObjectReader();
                 RevWalk walk = new RevWalk(reader);
                 TreeWalk tree = new TreeWalk(reader)) {
                tree.addTree(walk.parseCommit(tip).getTree());
                tree.setRecursive(true);
                if (directory != null) {
                    tree.setFilter(PathFilter.create(directory));
                }
                while (tree.next()) {
                    String path = tree.getPathString();
                    if (paths.test(path)) {
                        files.put(path, new String(reader.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
            return new Snapshot(tip.name(), files, false);
        } catch (IOException e) {
            throw new GitOpsUnavailableException("cannot read the GitOps clone: " + e.getMessage(), e);
        } finally {
            clone.lock().unlock();
        }
    }
}
