package dev.slipway.gitops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The files of a change as a diff against the branch: before it is written, against the branch's
 * tip; once written, against the commit's first parent (what the branch held just before).
 */
public final class DiffCommand {

    private final WarmClone clone;
    private List<FileWrite> files = List.of();
    private String commit;

    DiffCommand(WarmClone clone) {
        this.clone = clone;
    }

    public DiffCommand files(List<FileWrite> value) {
        this.files = List.copyOf(value);
        return this;
    }

    /** The commit the change became (null: not written yet). */
    public DiffCommand writtenAs(String sha) {
        this.commit = sha;
        return this;
    }

    /** @throws GitOpsUnavailableException when the commit must be fetched and the remote cannot be reached */
    public List<FileDiff> call() {
        try {
            RevCommit base = base();
            Repository repository = clone.repository();
            var diffs = new ArrayList<FileDiff>();
            for (FileWrite file : files) {
                byte[] before = base == null ? null : content(repository, base, file.path());
                if (file.mode() == FileWrite.Mode.DELETE) {
                    diffs.add(before == null ? new FileDiff(file.path(), FileDiff.Kind.UNCHANGED, "")
                            : new FileDiff(file.path(), FileDiff.Kind.DELETED, patch(file.path(), before, null)));
                    continue;
                }
                byte[] after = file.content().getBytes(StandardCharsets.UTF_8);
                if (file.mode() == FileWrite.Mode.MERGE) {
                    if (before == null) {
                        diffs.add(new FileDiff(file.path(), FileDiff.Kind.UNCHANGED, ""));
                        continue;
                    }
                    try {
                        after = clone.settings().merge().apply(file.path(), new String(before, StandardCharsets.UTF_8),
                                file.content()).getBytes(StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException cannot) {
                        after = before; // it will conflict: nothing changes
                    }
                }
                FileDiff.Kind kind = before == null ? FileDiff.Kind.ADDED
                        : java.util.Arrays.equals(before, after) ? FileDiff.Kind.UNCHANGED : FileDiff.Kind.MODIFIED;
                diffs.add(new FileDiff(file.path(), kind, kind == FileDiff.Kind.UNCHANGED ? ""
                        : patch(file.path(), before, after)));
            }
            return diffs;
        } catch (IOException e) {
            throw new GitOpsUnavailableException("cannot read the GitOps clone: " + e.getMessage(), e);
        }
    }

    private RevCommit base() throws IOException {
        Repository repository = clone.repository();
        if (commit == null) {
            ObjectId tip = clone.tip();
            return tip == null ? null : parse(repository, tip);
        }
        ObjectId id = ObjectId.fromString(commit);
        if (!repository.getObjectDatabase().has(id)) {
            // written by another replica, or merged on the hosting service: not in this clone yet
            clone.lock().lock();
            try {
                clone.fetch();
            } finally {
                clone.lock().unlock();
            }
        }
        RevCommit written = parse(repository, id);
        return written.getParentCount() == 0 ? null : parse(repository, written.getParent(0));
    }

    private static RevCommit parse(Repository repository, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(id);
        }
    }

    private static byte[] content(Repository repository, RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, commit.getTree())) {
            return walk == null ? null : repository.open(walk.getObjectId(0)).getBytes();
        }
    }

    /** A unified diff; {@code before} null for a new file, {@code after} null for a deleted one. */
    private static String patch(String path, byte[] before, byte[] after) throws IOException {
        RawText a = new RawText(before == null ? new byte[0] : before);
        RawText b = new RawText(after == null ? new byte[0] : after);
        EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                .diff(RawTextComparator.DEFAULT, a, b);
        var out = new ByteArrayOutputStream();
        out.writeBytes(((before == null ? "--- /dev/null" : "--- a/" + path)
                + (after == null ? "\n+++ /dev/null\n" : "\n+++ b/" + path + "\n")).getBytes(StandardCharsets.UTF_8));
        try (var formatter = new DiffFormatter(out)) {
            formatter.format(edits, a, b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
