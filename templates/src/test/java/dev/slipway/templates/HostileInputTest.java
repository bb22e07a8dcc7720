package dev.slipway.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever free text a user types (a description, an environment variable's value),
 * the rendered files either are refused with a violation naming that field, or parse back to the
 * same structure with the text intact. Never a different structure, never a crash.
 */
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Renderer RENDERER = new Renderer(Samples.PLATFORM);
    private static final Template HTTP_SERVICE = TemplateCatalog.builtIn().find("http-service").orElseThrow();
    private static final String[] NASTY = {
            "", " ", "---", "...", "- item", "key: value", "{a: b}", "[1, 2]", "# comment", "&anchor", "*alias",
            "!!python/object:os.system", "|", ">", "'", "\"", "\\", "\n", "\r\n", "\t", "null", "~", "true", "no",
            "0x1F", "1e3", "2026-11-24", "%YAML 1.2", "@", "`", "$(id)", "${HOME}", "{{ .Values.x }}", "}}", "<b>",
            "\u00e9\u00e8\u00ea", "\u65e5\u672c", "\ud83d\ude80", "\u0000", "\u0007", "\u2028", "\ufeff", "a\u0085b",
            "--- !!binary", ": ", " :", "?", "key:\n  nested: true", "'; DROP TABLE services; --", "../../etc/passwd",
    };

    @Test
    void descriptionsEitherRoundTripOrAreRefusedByName() {
        Random random = new Random(20261124);
        for (String description : samples(random, 600)) {
            try {
                var rendering = RENDERER.render(HTTP_SERVICE, null, new ServiceSpec("payments", "checkout", description),
                        Samples.PAYMENTS, Samples.ENVIRONMENTS, false);
                JsonNode service = Yaml.read(rendering.changeSet().asMap().get("services/payments/checkout/service.yaml"));
                assertThat(service.at("/spec/description").asText()).as(escape(description)).isEqualTo(description);
                assertThat(fieldNames(service)).isEqualTo(Set.of("apiVersion", "kind", "metadata", "spec"));
                assertThat(fieldNames(service.path("spec"))).isEqualTo(
                        Set.of("owner", "description", "template", "chart", "image", "environments"));
                assertThat(service.at("/metadata/name").asText()).isEqualTo("checkout");
            } catch (InvalidServiceException refused) {
                assertThat(refused.violations()).as(escape(description))
                        .extracting(Violation::path).containsOnly("description");
            }
        }
    }

    @Test
    void environmentVariableValuesRoundTripIntoTheValuesFileOrAreRefusedByName() {
        Random random = new Random(42);
        for (String value : samples(random, 600)) {
            if (value.length() > 4096) {
                continue;
            }
            ObjectNode parameters = JSON.createObjectNode();
            parameters.putObject("env").put("GREETING", value).put("OTHER", "fixed");
            Rendering rendering;
            try {
                rendering = RENDERER.render(HTTP_SERVICE, parameters, new ServiceSpec("payments", "checkout", ""),
                        Samples.PAYMENTS, Samples.ENVIRONMENTS, false);
            } catch (InvalidServiceException refused) {
                // only control characters other than tab and newline may be refused, and by name
                assertThat(value).as(escape(value)).containsPattern("[\\p{Cc}\\u2028\\u2029\\ufeff&&[^\\t\\n]]");
                assertThat(refused.violations()).extracting(Violation::path).containsOnly("parameters.env.GREETING");
                continue;
            }
            JsonNode values = Yaml.read(rendering.changeSet().asMap().get("services/payments/checkout/values.yaml"));
            assertThat(values.at("/env/GREETING").asText()).as(escape(value)).isEqualTo(value);
            assertThat(fieldNames(values.path("env"))).isEqualTo(Set.of("GREETING", "OTHER"));
            assertThat(values.at("/env/OTHER").asText()).isEqualTo("fixed");
            assertThat(fieldNames(values)).isEqualTo(fieldNames(Yaml.read(RENDERER.render(HTTP_SERVICE, null,
                    new ServiceSpec("payments", "checkout", ""), Samples.PAYMENTS, Samples.ENVIRONMENTS, false)
                    .changeSet().asMap().get("services/payments/checkout/values.yaml"))));
        }
    }

    @Test
    void hostileEnvironmentVariableNamesAreRefusedByName() {
        for (String name : List.of("", "1ABC", "A-B", "A B", "A=B", "A\nB", "${X}", "a".repeat(129))) {
            ObjectNode parameters = JSON.createObjectNode();
            parameters.putObject("env").put(name, "x");
            try {
                RENDERER.render(HTTP_SERVICE, parameters, new ServiceSpec("payments", "checkout", ""),
                        Samples.PAYMENTS, Samples.ENVIRONMENTS, false);
                throw new AssertionError("accepted env name " + escape(name));
            } catch (InvalidServiceException refused) {
                assertThat(refused.violations()).as(escape(name))
                        .allSatisfy(v -> assertThat(v.path()).startsWith("parameters.env"));
            }
        }
    }

    /** The fixed nasty strings, then random mixes of them and of random code points. */
    private static List<String> samples(Random random, int count) {
        var samples = new ArrayList<>(List.of(NASTY));
        while (samples.size() < count) {
            var text = new StringBuilder();
            int parts = 1 + random.nextInt(6);
            for (int i = 0; i < parts; i++) {
                if (random.nextBoolean()) {
                    text.append(NASTY[random.nextInt(NASTY.length)]);
                } else {
                    int codePoint = random.nextInt(4) == 0 ? random.nextInt(0x10FFFF) : 0x20 + random.nextInt(0x5F);
                    if (Character.isValidCodePoint(codePoint) && !Character.isSurrogate((char) codePoint)) {
                        text.appendCodePoint(codePoint);
                    }
                }
            }
            samples.add(text.toString());
        }
        return samples;
    }

    private static Set<String> fieldNames(JsonNode node) {
        var names = new TreeSet<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String escape(String text) {
        var out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

}
