package dev.slipway.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeEditTest {

    @Test
    void editsOnTopOfEachOtherMakeTheTreeGitWouldMakeOfAllTheFiles(@TempDir Path dir) throws Exception {
        try (Repository repository = repository(dir);
             ObjectInserter inserter = repository.newObjectInserter();
             ObjectReader reader = repository.newObjectReader()) {
            var random = new Random(42);
            var everything = new LinkedHashMap<String, ObjectId>();
            ObjectId tree = null;
            // odd steps go on with the edit that wrote the last tree (from its cache), even ones read it back
            var reused = new TreeEdit(reader, inserter);
            // directories and files side by side whose names share prefixes: git sorts a directory as "name/",
            // so "a.txt" and "a-b" come before the directory "a", and "a0" after it
            String[] directories = {"a", "dev", "values", "Z", "é"};
            String[] files = {"a.txt", "a0", "a-b", "dev.yaml", "values.yaml", "b", "Z0", "é.yaml"};
            for (int step = 0; step < 60; step++) {
                var edits = new LinkedHashMap<String, FileWrite>();
                for (int f = 0; f < 1 + random.nextInt(5); f++) {
                    var path = new StringBuilder();
                    for (int d = random.nextInt(3); d > 0; d--) {
                        path.append(directories[random.nextInt(directories.length)]).append('/');
                    }
                    String file = path + files[random.nextInt(files.length)];
                    String content = "step " + step + " " + file;
                    edits.put(file, new FileWrite(file, content, FileWrite.Mode.REPLACE));
                }
                tree = (step % 2 == 0 ? new TreeEdit(reader, inserter) : reused).write(tree, edits);
                edits.forEach((path, file) -> everything.put(path, blob(inserter, file.content())));
                assertThat(tree).as("step %d", step).isEqualTo(dirCacheTree(inserter, everything));
            }
            inserter.flush();
        }
    }

    @Test
    void aFileWhereADirectoryIsOrTheReverseIsAConflict(@TempDir Path dir) throws Exception {
        try (Repository repository = repository(dir);
             ObjectInserter inserter = repository.newObjectInserter();
             ObjectReader reader = repository.newObjectReader()) {
            var edit = new TreeEdit(reader, inserter);
            ObjectId tree = edit.write(null, files(new FileWrite("services/payments/ledger/values.yaml", "x", FileWrite.Mode.CREATE)));

            assertThatThrownBy(() -> edit.write(tree, files(new FileWrite("services/payments", "x", FileWrite.Mode.REPLACE))))
                    .isInstanceOfSatisfying(TreeEdit.Conflict.class, c -> assertThat(c.paths()).containsExactly("services/payments"));
            assertThatThrownBy(() -> edit.write(tree, files(
                    new FileWrite("services/payments/ledger/values.yaml/x", "x", FileWrite.Mode.REPLACE))))
                    .isInstanceOfSatisfying(TreeEdit.Conflict.class,
                            c -> assertThat(c.paths()).containsExactly("services/payments/ledger/values.yaml"));
            assertThatThrownBy(() -> edit.write(null, files(new FileWrite("a/b", "x", FileWrite.Mode.CREATE),
                    new FileWrite("a", "x", FileWrite.Mode.CREATE))))
                    .isInstanceOf(TreeEdit.Conflict.class);
        }
    }

    @Test
    void eachFileFindsWhatItsModeExpects(@TempDir Path dir) throws Exception {
        try (Repository repository = repository(dir);
             ObjectInserter inserter = repository.newObjectInserter();
             ObjectReader reader = repository.newObjectReader()) {
            var edit = new TreeEdit(reader, inserter);
            ObjectId tree = edit.write(null, files(new FileWrite("ns/payments-dev.yaml", "bundle v1", FileWrite.Mode.CREATE),
                    new FileWrite("apps/a.yaml", "a", FileWrite.Mode.CREATE), new FileWrite("apps/b.yaml", "b", FileWrite.Mode.CREATE)));

            // absent-only leaves the existing bundle; the same content again is no conflict; a replace overwrites
            ObjectId next = edit.write(tree, files(new FileWrite("ns/payments-dev.yaml", "bundle v2", FileWrite.Mode.CREATE_IF_ABSENT),
                    new FileWrite("apps/a.yaml", "a", FileWrite.Mode.CREATE), new FileWrite("apps/b.yaml", "b2", FileWrite.Mode.REPLACE),
                    new FileWrite("apps/c.yaml", "c", FileWrite.Mode.CREATE_IF_ABSENT)));
            assertThat(next).isEqualTo(dirCacheTree(inserter, Map.of("ns/payments-dev.yaml", blob(inserter, "bundle v1"),
                    "apps/a.yaml", blob(inserter, "a"), "apps/b.yaml", blob(inserter, "b2"), "apps/c.yaml", blob(inserter, "c"))));

            // every file created over different content is named
            assertThatThrownBy(() -> edit.write(next, files(new FileWrite("apps/a.yaml", "other", FileWrite.Mode.CREATE),
                    new FileWrite("apps/b.yaml", "other", FileWrite.Mode.CREATE), new FileWrite("apps/d.yaml", "d", FileWrite.Mode.CREATE))))
                    .isInstanceOfSatisfying(TreeEdit.Conflict.class,
                            c -> assertThat(c.paths()).containsExactly("apps/a.yaml", "apps/b.yaml"));
        }
    }

    @Test
    void deletionsLeaveTheTreeGitWouldMakeOfWhatRemainsAndNoEmptyDirectory(@TempDir Path dir) throws Exception {
        try (Repository repository = repository(dir);
             ObjectInserter inserter = repository.newObjectInserter();
             ObjectReader reader = repository.newObjectReader()) {
            var random = new Random(7);
            var contents = new java.util.TreeMap<String, String>();
            var edit = new TreeEdit(reader, inserter);
            String[] directories = {"apps", "apps/payments", "apps/pay", "apps/pay-ments", "namespaces"};
            String[] files = {"a.yaml", "a-dev.yaml", "b.yaml", "apps", "pay.yaml"};
            ObjectId tree = null;
            for (int step = 0; step < 80; step++) {
                var edits = new LinkedHashMap<String, FileWrite>();
                var existing = new java.util.ArrayList<>(contents.keySet());
                for (int f = 0; f < 1 + random.nextInt(4); f++) {
                    if (!existing.isEmpty() && random.nextBoolean()) {
                        String gone = existing.remove(random.nextInt(existing.size()));
                        edits.put(gone, new FileWrite(gone, contents.get(gone), FileWrite.Mode.DELETE));
                    } else {
                        String path = directories[random.nextInt(directories.length)] + "/" + files[random.nextInt(files.length)];
                        if (contents.keySet().stream().noneMatch(p -> p.startsWith(path + "/"))
                                && !edits.containsKey(path) && !contents.containsKey(path)
                                && contents.keySet().stream().noneMatch(p -> path.startsWith(p + "/"))) {
                            edits.put(path, new FileWrite(path, "step " + step, FileWrite.Mode.CREATE));
                        }
                    }
                }
                tree = edit.write(tree, edits);
                edits.forEach((path, file) -> {
                    if (file.mode() == FileWrite.Mode.DELETE) {
                        contents.remove(path);
                    } else {
                        contents.put(path, file.content());
                    }
                });
                var expected = new java.util.TreeMap<String, ObjectId>();
                contents.forEach((path, content) -> expected.put(path, blob(inserter, content)));
                assertThat(tree).as("step %d", step).isEqualTo(dirCacheTree(inserter, expected));
            }
            // everything deleted: the empty tree, not a tree of empty directories
            var all = new LinkedHashMap<String, FileWrite>();
            contents.forEach((path, content) -> all.put(path, new FileWrite(path, content, FileWrite.Mode.DELETE)));
            assertThat(edit.write(tree, all).name()).isEqualTo("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
        }
    }

    @Test
    void aDeletionExpectsWhatTheChangeReadAndAnAbsentFileIsAlreadyDone(@TempDir Path dir) throws Exception {
        try (Repository repository = repository(dir);
             ObjectInserter inserter = repository.newObjectInserter();
             ObjectReader reader = repository.newObjectReader()) {
            var edit = new TreeEdit(reader, inserter);
            ObjectId tree = edit.write(null, files(new FileWrite("apps/a.yaml", "a", FileWrite.Mode.CREATE),
                    new FileWrite("apps/b.yaml", "b", FileWrite.Mode.CREATE)));

            assertThat(edit.write(tree, files(new FileWrite("apps/gone.yaml", "x", FileWrite.Mode.DELETE)))).isEqualTo(tree);
            assertThatThrownBy(() -> edit.write(tree, files(new FileWrite("apps/a.yaml", "edited since", FileWrite.Mode.DELETE),
                    new FileWrite("apps/b.yaml", "b", FileWrite.Mode.DELETE))))
                    .isInstanceOfSatisfying(TreeEdit.Conflict.class, c -> assertThat(c.paths()).containsExactly("apps/a.yaml"));
            // a directory is not a file to delete
            assertThatThrownBy(() -> edit.write(tree, files(new FileWrite("apps", "x", FileWrite.Mode.DELETE))))
                    .isInstanceOf(TreeEdit.Conflict.class);
        }
    }

    private static Map<String, FileWrite> files(FileWrite... files) {
        var map = new LinkedHashMap<String, FileWrite>();
        for (FileWrite file : files) {
            map.put(file.path(), file);
        }
        return map;
    }

    private static ObjectId blob(ObjectInserter inserter, String content) {
        try {
            return inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectId dirCacheTree(ObjectInserter inserter, Map<String, ObjectId> files) throws Exception {
        DirCache index = DirCache.newInCore();
        DirCacheEditor editor = index.editor();
        files.forEach((path, blob) -> editor.add(new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(blob);
            }
        }));
        editor.finish();
        return index.writeTree(inserter);
    }

    private static Repository repository(Path dir) throws Exception {
        Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        repository.create(true);
        return repository;
    }
}
