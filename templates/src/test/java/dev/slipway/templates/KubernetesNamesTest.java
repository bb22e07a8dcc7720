package dev.slipway.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Every case from Kubernetes' own validation tests (fixtures/k8s-names) must agree. */
class KubernetesNamesTest {

    private static final Map<String, Function<String, List<String>>> RULES = Map.of(
            "dns1123-label", KubernetesNames::dns1123Label,
            "dns1035-label", KubernetesNames::dns1035Label,
            "dns1123-subdomain", KubernetesNames::dns1123Subdomain,
            "label-value", KubernetesNames::labelValue,
            "qualified-name", KubernetesNames::qualifiedName);

    static Stream<Arguments> fixtureCases() throws Exception {
        Path file = Samples.fixtures().resolve("k8s-names/all-values.json");
        Map<String, List<String>> lists = JsonMapper.builder().build()
                .readValue(Files.readString(file), new TypeReference<Map<String, List<String>>>() { });
        assertThat(lists).hasSize(2 * RULES.size());
        return lists.entrySet().stream().flatMap(list -> {
            boolean valid = list.getKey().startsWith("valid-");
            String rule = list.getKey().substring(valid ? 6 : 8);
            assertThat(RULES).containsKey(rule);
            return list.getValue().stream().map(value -> Arguments.of(rule, value, valid));
        });
    }

    @ParameterizedTest(name = "{0} \"{1}\" valid={2}")
    @MethodSource("fixtureCases")
    void agreesWithKubernetes(String rule, String value, boolean valid) {
        List<String> errors = RULES.get(rule).apply(value);
        if (valid) {
            assertThat(errors).as("%s should accept \"%s\"", rule, value).isEmpty();
        } else {
            assertThat(errors).as("%s should refuse \"%s\"", rule, value).isNotEmpty();
        }
    }
}
