package dev.slipway.gitops;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A change's files on top of a parent commit, as a new commit in the clone (inserted, not flushed
 * and not pushed): the change's author, Slipway as committer, the change id as a trailer.
 */
final class ChangeCommit {

    /** What writing a change on a parent gave. */
    sealed interface Result {
        record Written(ObjectId commit) implements Result {
        }

        /** The parent's files are not what the change expected at these paths. */
        record Conflict(List<String> paths) implements Result {
        }
    }

    private final ObjectInserter inserter;
    private final ObjectReader reader;
    private final TreeEdit trees;
    private final PersonIdent committer;

    /** @param inserter the batch's inserter: what it writes goes into one pack on flush */
    ChangeCommit(ObjectInserter inserter, ObjectReader reader, GitOpsWriter.Settings settings) {
        this.inserter = inserter;
        this.reader = reader;
        this.trees = new TreeEdit(reader, inserter, settings.merge());
        this.committer = settings.committer();
    }

    /** @param parent the branch's tip, or null when the branch does not exist yet */
    Result on(ObjectId parent, Change change) throws IOException {
        try (RevWalk walk = new RevWalk(reader)) {
            ObjectId parentTree = parent == null ? null : walk.parseCommit(parent).getTree();
            var files = new LinkedHashMap<String, FileWrite>();
            change.files().forEach(file -> files.put(file.path(), file));
            ObjectId tree;
            try {
                tree = trees.write(parentTree, files);
            } catch (TreeEdit.Conflict conflict) {
                return new Result.Conflict(conflict.paths());
            }
            var commit = new CommitBuilder();
            commit.setTreeId(tree);
            if (parent != null) {
                commit.setParentId(parent);
            }
            PersonIdent now = new PersonIdent(committer, Instant.now());
            commit.setAuthor(new PersonIdent(change.authorName(), change.authorEmail() == null ? "" : change.authorEmail(),
                    now.getWhenAsInstant(), now.getZoneId()));
            commit.setCommitter(now);
            commit.setMessage(change.commitMessage());
            return new Result.Written(inserter.insert(commit));
        }
    }
}
