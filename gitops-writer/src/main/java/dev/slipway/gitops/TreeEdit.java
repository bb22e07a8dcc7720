package dev.slipway.gitops;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * A tree with some files written into it. Only the directories on the written paths are read and
 * rewritten, and their untouched entries are copied as raw bytes: in the repository's layout one
 * directory holds every Argo CD Application of a cluster, so each commit rewrites a tree that
 * grows with the number of services, and that copy must stay cheap.
 */
final class TreeEdit {

    /** A written path runs into a file where it needs a directory, or the reverse. */
    static final class PathClash extends Exception {
        private final String path;

        PathClash(String path) {
            super(path, null, false, false);
            this.path = path;
        }

        String path() {
            return path;
        }
    }

    /** What one directory gets: a blob, or edits in the subdirectory of that name. */
    private static final class Edit {
        final String name;
        final byte[] rawName;
        final ObjectId blob;
        final TreeMap<String, ObjectId> below;
        boolean matched;

        Edit(String name, ObjectId blob, TreeMap<String, ObjectId> below) {
            this.name = name;
            this.rawName = name.getBytes(StandardCharsets.UTF_8);
            this.blob = blob;
            this.below = below;
        }

        boolean directory() {
            return below != null;
        }
    }

    private final ObjectReader reader;
    private final ObjectInserter inserter;
    /** Trees written through this edit (or earlier ones sharing the map), so a next commit need not read them back. */
    private final Map<ObjectId, byte[]> written;

    /**
     * @param written raw trees recently written, by id; shared between the commits of a batch
     */
    TreeEdit(ObjectReader reader, ObjectInserter inserter, Map<ObjectId, byte[]> written) {
        this.reader = reader;
        this.inserter = inserter;
        this.written = written;
    }

    /**
     * @param base  the tree to start from, or null for an empty one
     * @param files repository paths and the blobs to put there
     * @return the new root tree, inserted (not flushed)
     */
    ObjectId write(ObjectId base, Map<String, ObjectId> files) throws IOException, PathClash {
        return write(base, new TreeMap<>(files), "");
    }

    private ObjectId write(ObjectId base, TreeMap<String, ObjectId> files, String prefix) throws IOException, PathClash {
        var edits = edits(files, prefix);
        var byName = new HashMap<ByteBuffer, Edit>();
        edits.forEach(edit -> byName.put(ByteBuffer.wrap(edit.rawName), edit));

        var tree = new TreeFormatter();
        // entries new to this directory, in git's order, merged in between the existing ones
        var added = new ArrayList<>(edits);
        int next = 0;
        if (base != null) {
            var parser = new CanonicalTreeParser();
            parser.reset(raw(base));
            // first pass: which edits replace an existing entry (the rest are additions)
            for (; !parser.eof(); parser.next()) {
                Edit edit = byName.get(ByteBuffer.wrap(parser.getEntryPathBuffer(), parser.getNameOffset(), parser.getNameLength()));
                if (edit != null) {
                    boolean directory = FileMode.TREE.equals(parser.getEntryRawMode());
                    if (directory != edit.directory()) {
                        throw new PathClash(prefix + edit.name);
                    }
                    edit.matched = true;
                }
            }
            added.removeIf(edit -> edit.matched);
            parser.reset(raw(base));
            for (; !parser.eof(); parser.next()) {
                byte[] buffer = parser.getEntryPathBuffer();
                int offset = parser.getNameOffset();
                int length = parser.getNameLength();
                boolean directory = FileMode.TREE.equals(parser.getEntryRawMode());
                while (next < added.size() && compare(added.get(next), buffer, offset, length, directory) < 0) {
                    append(tree, added.get(next++), null, prefix);
                }
                Edit edit = byName.get(ByteBuffer.wrap(buffer, offset, length));
                if (edit != null) {
                    append(tree, edit, parser.getEntryObjectId(), prefix);
                } else {
                    tree.append(buffer, offset, length, FileMode.fromBits(parser.getEntryRawMode()),
                            parser.idBuffer(), parser.idOffset());
                }
            }
        }
        while (next < added.size()) {
            append(tree, added.get(next++), null, prefix);
        }
        byte[] raw = tree.toByteArray();
        ObjectId id = inserter.insert(Constants.OBJ_TREE, raw);
        written.put(id, raw);
        return id;
    }

    /** The edits of one directory, sorted in git's order. */
    private static List<Edit> edits(TreeMap<String, ObjectId> files, String prefix) throws PathClash {
        var blobs = new TreeMap<String, ObjectId>();
        var below = new TreeMap<String, TreeMap<String, ObjectId>>();
        files.forEach((path, blob) -> {
            int slash = path.indexOf('/');
            if (slash < 0) {
                blobs.put(path, blob);
            } else {
                below.computeIfAbsent(path.substring(0, slash), k -> new TreeMap<>()).put(path.substring(slash + 1), blob);
            }
        });
        var edits = new ArrayList<Edit>();
        for (var blob : blobs.entrySet()) {
            if (below.containsKey(blob.getKey())) {
                throw new PathClash(prefix + blob.getKey());
            }
            edits.add(new Edit(blob.getKey(), blob.getValue(), null));
        }
        below.forEach((name, inside) -> edits.add(new Edit(name, null, inside)));
        edits.sort((a, b) -> compare(a, b.rawName, 0, b.rawName.length, b.directory()));
        return edits;
    }

    private void append(TreeFormatter tree, Edit edit, ObjectId existing, String prefix) throws IOException, PathClash {
        if (edit.directory()) {
            tree.append(edit.rawName, FileMode.TREE, write(existing, edit.below, prefix + edit.name + "/"));
        } else {
            tree.append(edit.rawName, FileMode.REGULAR_FILE, edit.blob);
        }
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
