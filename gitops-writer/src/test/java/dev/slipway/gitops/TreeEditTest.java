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
            // names chosen so that git's order (a directory sorts as "name/") differs from plain order
            String[] names = {"a", "a.txt", "a-b", "a0", "b", "values.yaml", "dev", "dev.yaml", "Z", "é"};
            for (int step = 0; step < 40; step++) {
                var edits = new LinkedHashMap<String, ObjectId>();
                for (int f = 0; f < 1 + random.nextInt(5); f++) {
                    int depth = 1 + random.nextInt(3);
                    var path = new StringBuilder();
                    for (int d = 0; d < depth; d++) {
                        path.append(d == 0 ? "" : "/").append(names[random.nextInt(names.length)]);
                    }
                    // leaves live at depth 3 only, or under "leaf-" names, so files and directories never clash
                    String file = path + "/leaf-" + random.nextInt(4) + ".yaml";
                    ObjectId blob = inserter.insert(Constants.OBJ_BLOB, ("step " + step + " " + file).getBytes(StandardCharsets.UTF_8));
                    edits.put(file, blob);
                }
                tree = TreeEdit.write(reader, inserter, tree, edits);
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
            ObjectId tree = TreeEdit.write(reader, inserter, null, Map.of("services/payments/ledger/values.yaml", blob));

            assertThatThrownBy(() -> TreeEdit.write(reader, inserter, tree, Map.of("services/payments", blob)))
                    .isInstanceOfSatisfying(TreeEdit.PathClash.class, c -> assertThat(c.path()).isEqualTo("services/payments"));
            assertThatThrownBy(() -> TreeEdit.write(reader, inserter, tree, Map.of("services/payments/ledger/values.yaml/x", blob)))
                    .isInstanceOfSatisfying(TreeEdit.PathClash.class,
                            c -> assertThat(c.path()).isEqualTo("services/payments/ledger/values.yaml"));
            assertThatThrownBy(() -> TreeEdit.write(reader, inserter, null, Map.of("a/b", blob, "a", blob)))
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
