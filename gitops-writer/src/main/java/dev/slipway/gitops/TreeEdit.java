package dev.slipway.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * A tree with a change's files written into (or deleted from) it. Only the directories on the
 * written paths are read and rewritten, and their untouched entries are copied as raw bytes, so a
 * commit's cost follows the size of the directories it touches, not of the repository. A directory
 * left empty by a deletion goes too, as git keeps none. What a file expects to find (see
 * {@link FileWrite.Mode}) is checked against the entry met on the way, so nothing is looked up twice.
 */
final class TreeEdit {

    /** Files that do not hold what the change expected, or a file where a directory is (or the reverse). */
    static final class Conflict extends Exception {
        private final List<String> paths;

        Conflict(List<String> paths) {
            super(String.join(", ", paths), null, false, false);
            this.paths = List.copyOf(paths);
        }

        List<String> paths() {
            return paths;
        }
    }

    /** What one directory gets: a file, or edits in the subdirectory of that name. */
    private static final class Edit {
        final String name;
        final byte[] rawName;
        final FileWrite file;
        final TreeMap<String, FileWrite> below;

        Edit(String name, FileWrite file, TreeMap<String, FileWrite> below) {
            this.name = name;
            this.rawName = name.getBytes(StandardCharsets.UTF_8);
            this.file = file;
            this.below = below;
        }

        boolean directory() {
            return below != null;
        }

        boolean named(byte[] buffer, int offset, int length) {
            return rawName.length == length && Arrays.equals(rawName, 0, length, buffer, offset, offset + length);
        }
    }

    private static final ObjectId EMPTY_TREE = ObjectId.fromString("4b825dc642cb6eb9a060e54bf8d69288fbee4904");

    private final ObjectReader reader;
    private final ObjectInserter inserter;
    private final FileMerge merge;
    /** Raw trees written through this edit, by id: the next commit of a batch need not read them back. */
    private final Map<ObjectId, byte[]> written = new HashMap<>();

    /** One edit serves the commits of a batch, each on top of the one before. */
    TreeEdit(ObjectReader reader, ObjectInserter inserter, FileMerge merge) {
        this.reader = reader;
        this.inserter = inserter;
        this.merge = merge;
    }

    TreeEdit(ObjectReader reader, ObjectInserter inserter) {
        this(reader, inserter, FileMerge.NONE);
    }

    /**
     * @param base  the tree to start from, or null for an empty one
     * @param files the files to write, by repository path
     * @return the new root tree, inserted (not flushed)
     * @throws Conflict naming every file that was not as the change expected
     */
    ObjectId write(ObjectId base, Map<String, FileWrite> files) throws IOException, Conflict {
        var conflicts = new ArrayList<String>();
        ObjectId tree = write(base, new TreeMap<>(files), "", conflicts);
        if (!conflicts.isEmpty()) {
            throw new Conflict(conflicts);
        }
        return tree;
    }

    private ObjectId write(ObjectId base, TreeMap<String, FileWrite> files, String prefix, List<String> conflicts)
            throws IOException, Conflict {
        List<Edit> edits = edits(files, prefix);
        var tree = new TreeFormatter();
        int next = 0;
        boolean changed = false;
        if (base != null) {
            var parser = new CanonicalTreeParser();
            parser.reset(raw(base));
            for (; !parser.eof(); parser.next()) {
                byte[] buffer = parser.getEntryPathBuffer();
                int offset = parser.getNameOffset();
                int length = parser.getNameLength();
                boolean directory = FileMode.TREE.equals(parser.getEntryRawMode());
                // edits of names before this entry are new to the directory
                while (next < edits.size() && compare(edits.get(next), buffer, offset, length, directory) < 0) {
                    changed |= append(tree, edits.get(next++), null, prefix, conflicts);
                }
                if (next < edits.size() && compare(edits.get(next), buffer, offset, length, directory) == 0) {
                    changed |= append(tree, edits.get(next++), parser.getEntryObjectId(), prefix, conflicts);
                    continue;
                }
                for (Edit edit : edits) {
                    if (edit.named(buffer, offset, length)) {
                        // same name, the other kind: a file where a directory is, or the reverse
                        throw new Conflict(List.of(prefix + edit.name));
                    }
                }
                tree.append(buffer, offset, length, FileMode.fromBits(parser.getEntryRawMode()),
                        parser.idBuffer(), parser.idOffset());
            }
        }
        while (next < edits.size()) {
            changed |= append(tree, edits.get(next++), null, prefix, conflicts);
        }
        if (!changed && base != null) {
            // a team's bundle already there, say: the directory stays the very tree it was, nothing to store
            return base;
        }
        byte[] raw = tree.toByteArray();
        ObjectId id = inserter.insert(Constants.OBJ_TREE, raw);
        written.put(id, raw);
        return id;
    }

    /** The edits of one directory, sorted in git's order. */
    private static List<Edit> edits(TreeMap<String, FileWrite> files, String prefix) throws Conflict {
        var here = new TreeMap<String, FileWrite>();
        var below = new TreeMap<String, TreeMap<String, FileWrite>>();
        files.forEach((path, file) -> {
            int slash = path.indexOf('/');
            if (slash < 0) {
                here.put(path, file);
            } else {
                below.computeIfAbsent(path.substring(0, slash), k -> new TreeMap<>()).put(path.substring(slash + 1), file);
            }
        });
        var edits = new ArrayList<Edit>();
        for (var file : here.entrySet()) {
            if (below.containsKey(file.getKey())) {
                throw new Conflict(List.of(prefix + file.getKey()));
            }
            edits.add(new Edit(file.getKey(), file.getValue(), null));
        }
        below.forEach((name, inside) -> edits.add(new Edit(name, null, inside)));
        edits.sort((a, b) -> compare(a, b.rawName, 0, b.rawName.length, b.directory()));
        return edits;
    }

    /**
     * Appends what the edit makes of the entry of that name ({@code existing}, or null when there is
     * none); returns whether that differs from what was there.
     */
    private boolean append(TreeFormatter tree, Edit edit, ObjectId existing, String prefix, List<String> conflicts)
            throws IOException, Conflict {
        if (edit.directory()) {
            ObjectId below = write(existing, edit.below, prefix + edit.name + "/", conflicts);
            // git keeps no empty directories: one whose last file was deleted goes too
            if (!below.equals(EMPTY_TREE)) {
                tree.append(edit.rawName, FileMode.TREE, below);
                return !below.equals(existing);
            }
            return existing != null;
        }
        FileWrite file = edit.file;
        if (file.mode() == FileWrite.Mode.DELETE) {
            if (existing == null) {
                return false; // absent already: nothing to do
            }
            if (!existing.equals(inserter.idFor(Constants.OBJ_BLOB, file.content().getBytes(StandardCharsets.UTF_8)))) {
                // holding something else than the change read: a conflict, and the file is kept
                conflicts.add(prefix + edit.name);
                tree.append(edit.rawName, FileMode.REGULAR_FILE, existing);
                return false;
            }
            return true;
        }
        if (existing != null && file.mode() == FileWrite.Mode.CREATE_IF_ABSENT) {
            tree.append(edit.rawName, FileMode.REGULAR_FILE, existing);
            return false;
        }
        String text = file.content();
        if (file.mode() == FileWrite.Mode.MERGE) {
            if (existing == null) {
                conflicts.add(prefix + edit.name); // nothing to merge into: the file was removed meanwhile
                return false;
            }
            try {
                text = merge.apply(prefix + edit.name, new String(reader.open(existing, Constants.OBJ_BLOB).getCachedBytes(),
                        StandardCharsets.UTF_8), file.content());
            } catch (IllegalArgumentException cannot) {
                conflicts.add(prefix + edit.name);
                tree.append(edit.rawName, FileMode.REGULAR_FILE, existing);
                return false;
            }
        }
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        ObjectId blob = existing == null ? inserter.insert(Constants.OBJ_BLOB, content)
                : inserter.idFor(Constants.OBJ_BLOB, content);
        if (existing != null && !existing.equals(blob)) {
            if (file.mode() == FileWrite.Mode.CREATE) {
                conflicts.add(prefix + edit.name);
            }
            inserter.insert(Constants.OBJ_BLOB, content);
        }
        tree.append(edit.rawName, FileMode.REGULAR_FILE, blob);
        return !blob.equals(existing);
    }

    private byte[] raw(ObjectId tree) throws IOException {
        byte[] raw = written.get(tree);
        return raw != null ? raw : reader.open(tree, Constants.OBJ_TREE).getCachedBytes();
    }

    /**
     * Git's order of a directory's entries: by name, a subdirectory's name as if it ended in '/'.
     * Compares {@code edit} with the entry named by {@code name[offset, offset + length)}.
     */
    private static int compare(Edit edit, byte[] name, int offset, int length, boolean directory) {
        byte[] a = edit.rawName;
        int common = Math.min(a.length, length);
        int mismatch = Arrays.mismatch(a, 0, common, name, offset, offset + common);
        if (mismatch >= 0) {
            return Byte.toUnsignedInt(a[mismatch]) - Byte.toUnsignedInt(name[offset + mismatch]);
        }
        int afterA = a.length > common ? Byte.toUnsignedInt(a[common]) : edit.directory() ? '/' : 0;
        int afterB = length > common ? Byte.toUnsignedInt(name[offset + common]) : directory ? '/' : 0;
        return afterA - afterB;
    }
}
