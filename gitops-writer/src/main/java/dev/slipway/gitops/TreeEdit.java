package dev.slipway.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * A tree with some files written into it. Only the directories on the written paths are read and
 * rewritten, so a commit costs the same in a repository of ten services or of ten thousand (an
 * index of the whole tree, rebuilt per commit, grew with the repository).
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

    private record Entry(byte[] name, FileMode mode, ObjectId id, byte[] sortKey) {
        Entry(String name, FileMode mode, ObjectId id) {
            this(bytes(name), mode, id, TreeEdit.sortKey(bytes(name), mode));
        }
    }

    private TreeEdit() {
    }

    /**
     * @param base  the tree to start from, or null for an empty one
     * @param files repository paths and the blobs to put there
     * @return the new root tree, inserted (not flushed)
     */
    static ObjectId write(ObjectReader reader, ObjectInserter inserter, ObjectId base, Map<String, ObjectId> files)
            throws IOException, PathClash {
        return write(reader, inserter, base, new TreeMap<>(files), "");
    }

    private static ObjectId write(ObjectReader reader, ObjectInserter inserter, ObjectId base,
                                  TreeMap<String, ObjectId> files, String prefix) throws IOException, PathClash {
        // what this directory gets: blobs by name, and the edits below each subdirectory
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
        for (String name : blobs.keySet()) {
            if (below.containsKey(name)) {
                throw new PathClash(prefix + name);
            }
        }

        var entries = new ArrayList<Entry>();
        if (base != null) {
            var parser = new CanonicalTreeParser(null, reader, base);
            for (; !parser.eof(); parser.next()) {
                String name = parser.getEntryPathString();
                FileMode mode = parser.getEntryFileMode();
                ObjectId id = parser.getEntryObjectId();
                boolean directory = mode == FileMode.TREE;
                if (blobs.containsKey(name)) {
                    if (directory) {
                        throw new PathClash(prefix + name);
                    }
                    entries.add(new Entry(name, FileMode.REGULAR_FILE, blobs.remove(name)));
                } else if (below.containsKey(name)) {
                    if (!directory) {
                        throw new PathClash(prefix + name);
                    }
                    entries.add(new Entry(name, FileMode.TREE,
                            write(reader, inserter, id, below.remove(name), prefix + name + "/")));
                } else {
                    entries.add(new Entry(name, mode, id));
                }
            }
        }
        for (var blob : blobs.entrySet()) {
            entries.add(new Entry(blob.getKey(), FileMode.REGULAR_FILE, blob.getValue()));
        }
        for (var directory : below.entrySet()) {
            entries.add(new Entry(directory.getKey(), FileMode.TREE,
                    write(reader, inserter, null, directory.getValue(), prefix + directory.getKey() + "/")));
        }
        entries.sort(TreeEdit::gitOrder);
        var tree = new TreeFormatter();
        for (Entry entry : entries) {
            tree.append(entry.name(), entry.mode(), entry.id());
        }
        return inserter.insert(tree);
    }

    /** Git sorts a directory's entries by name, a subdirectory's name as if it ended in '/'. */
    private static int gitOrder(Entry a, Entry b) {
        return Arrays.compareUnsigned(a.sortKey(), b.sortKey());
    }

    private static byte[] sortKey(byte[] name, FileMode mode) {
        if (mode != FileMode.TREE) {
            return name;
        }
        byte[] key = Arrays.copyOf(name, name.length + 1);
        key[key.length - 1] = '/';
        return key;
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
