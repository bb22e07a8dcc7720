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
            var written = new java.util.HashMap<ObjectId, byte[]>();
            // directories and files side by side whose names share prefixes: git sorts a directory as "name/",
            // so "a.txt" and "a-b" come before the directory "a", and "a0" after it
            String[] directories = {"a", "dev", "values", "Z", "é"};
            String[] files = {"a.txt", "a0", "a-b", "dev.yaml", "values.yaml", "b", "Z0", "é.yaml"};
            for (int step = 0; step < 60; step++) {
                var edits = new LinkedHashMap<String, ObjectId>();
                for (int f = 0; f < 1 + random.nextInt(5); f++) {
                    var path = new StringBuilder();
                    for (int d = random.nextInt(3); d > 0; d--) {
                        path.append(directories[random.nextInt(directories.length)]).append('/');
                    }
                    String file = path + files[random.nextInt(files.length)];
                    ObjectId blob = inserter.insert(Constants.OBJ_BLOB, ("step " + step + " " + file).getBytes(StandardCharsets.UTF_8));
                    edits.put(file, blob);
                }
                tree = new TreeEdit(reader, inserter, step % 2 == 0 ? new java.util.HashMap<>() : written).write(tree, edits);
                everything.putAll(edits);
                assertThat(tree).as("step %d", step).isEqualTo(dirCacheTree(inserter, everything));
            }
            inserter.flush();
        }
    }

    @Test
    void aFileWhereADirectoryIsOrTheReverseIsAClash(@TempDir Path dir) throws Exception {
        try (Repository repository = repository(dir);
             ObjectInserter inserter = repository.newObjectInserter();
             ObjectReader reader = repository.newObjectReader()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, "x".getBytes(StandardCharsets.UTF_8));
            var edit = new TreeEdit(reader, inserter, new java.util.HashMap<>());
            ObjectId tree = edit.write(null, Map.of("services/payments/ledger/values.yaml", blob));

            assertThatThrownBy(() -> edit.write(tree, Map.of("services/payments", blob)))
                    .isInstanceOfSatisfying(TreeEdit.PathClash.class, c -> assertThat(c.path()).isEqualTo("services/payments"));
            assertThatThrownBy(() -> edit.write(tree, Map.of("services/payments/ledger/values.yaml/x", blob)))
                    .isInstanceOfSatisfying(TreeEdit.PathClash.class,
                            c -> assertThat(c.path()).isEqualTo("services/payments/ledger/values.yaml"));
            assertThatThrownBy(() -> edit.write(null, Map.of("a/b", blob, "a", blob)))
                    .isInstanceOf(TreeEdit.PathClash.class);
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
