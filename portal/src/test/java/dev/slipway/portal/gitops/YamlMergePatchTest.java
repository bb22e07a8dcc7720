package dev.slipway.portal.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Merging values into files Slipway wrote: the file's other bytes stay exactly as they were. */
class YamlMergePatchTest {

    private final YamlMergePatch merge = new YamlMergePatch();

    @Test
    void everyGeneratedValuesFileKeepsItsExactBytesOutsideWhatThePatchSets() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("../templates/src/test/resources/golden"))) {
            files = walk.filter(p -> p.getFileName().toString().equals("values.yaml")).toList();
        }
        assertThat(files).hasSizeGreaterThan(6);
        for (Path file : files) {
            String content = Files.readString(file);
            // an empty patch rewrites nothing: the serializer gives back the very bytes the renderer wrote
            assertThat(merge.apply(file.toString(), content, "{}")).as(file.toString()).isEqualTo(content);
            String merged = merge.apply(file.toString(), content, "image:\n  tag: \"1.4.2\"\n  digest: \"sha256:3f1c\"\n");
            assertThat(merged).as(file.toString()).startsWith(content.stripTrailing().isEmpty() ? "" : content.lines().findFirst().orElseThrow());
            assertThat(merged).contains("  tag: \"1.4.2\"\n", "  digest: \"sha256:3f1c\"\n");
        }
    }

    @Test
    void mappingsMergeDeeplyANullRemovesAndAnythingElseReplaces() {
        String file = "image:\n  repository: \"r\"\n  tag: \"1.0.0\"\nreplicas: 2\nlist:\n- \"a\"\n";
        assertThat(merge.apply("v.yaml", file, "image:\n  tag: \"1.1.0\"\n  digest: \"sha256:ab\"\nlist:\n- \"b\"\nreplicas: null\n"))
                .isEqualTo("image:\n  repository: \"r\"\n  tag: \"1.1.0\"\n  digest: \"sha256:ab\"\nlist:\n- \"b\"\n");
        // a value that looks like a number or a boolean stays a string
        assertThat(merge.apply("v.yaml", "a: 1\n", "tag: \"0755\"\nother: \"yes\"\n"))
                .isEqualTo("a: 1\ntag: \"0755\"\nother: \"yes\"\n");
    }

    @Test
    void aFileThatIsNoMappingCannotTakeAPatch() {
        assertThatThrownBy(() -> merge.apply("v.yaml", "- a\n- b\n", "image: {}\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> merge.apply("v.yaml", "a: [unclosed\n", "image: {}\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v.yaml");
    }
}
