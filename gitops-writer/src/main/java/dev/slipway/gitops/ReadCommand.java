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
        clone.lock().lock();
        try {
            clone.fetch();
            ObjectId tip = clone.tip();
            var files = new LinkedHashMap<String, String>();
            if (tip == null) {
                return files;
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
            return files;
        } catch (IOException e) {
            throw new GitOpsUnavailableException("cannot read the GitOps clone: " + e.getMessage(), e);
        } finally {
            clone.lock().unlock();
        }
    }
}
