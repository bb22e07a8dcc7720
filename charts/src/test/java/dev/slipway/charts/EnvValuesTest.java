package dev.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.charts.MicroserviceChart.Rendered;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Env values are data: whatever they contain comes out exactly as it went in, and changes no structure. */
class EnvValuesTest {

  @TempDir
  Path tmp;

  @Test
  void hostileEnvValuesRenderVerbatim() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A_QUOTES", "he said \"hi\" and 'bye' \\ back\\slash");
    env.put("B_COLONS", "key: value: {a: 1}, [b]");
    env.put("C_HASH", "value # not a comment #");
    env.put("D_NEWLINES", "line one\nline two\n\n  indented: yes\n- item\n");
    env.put("E_TEMPLATE", "{{ .Values.service }} {{ include \"microservice.name\" . }} {{- fail \"boom\" }}");
    env.put("F_YAML_DOC", "---\nkind: Secret\n...");
    env.put("G_SCALARS", "true");
    env.put("H_NUMBER", "0123");
    env.put("I_NULL", "null");
    env.put("J_EMPTY", "");
    env.put("K_SPACES", "  leading and trailing  ");
    env.put("L_UNICODE", "héllo – ✓ \t tab");
    env.put("M_SHELL", "$(rm -rf /) `id` ${HOME} && | > < ; &");
    env.put("N_ANCHORS", "&anchor *alias !!binary %TAG @ ` |- >+");

    Path values = MicroserviceChart.writeValues(tmp, "env", Map.of("env", env));
    Rendered rendered = MicroserviceChart.template().withValuesFile(values).call().transform(Rendered::parse);

    // The structure is unchanged: the same objects, one container, exactly these variables in name order.
    assertThat(rendered.kinds()).containsExactly("Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget",
        "Service", "ServiceAccount");
    JsonNode renderedEnv = rendered.container().path("env");
    assertThat(renderedEnv.size()).isEqualTo(env.size());
    for (JsonNode variable : renderedEnv) {
      assertThat(variable.propertyNames()).containsExactly("name", "value");
      assertThat(variable.path("value").isString()).as(variable.path("name").asString()).isTrue();
    }
    assertThat(ChartRenderTest.env(rendered.container())).containsExactlyEntriesOf(new TreeMap<>(env));
  }
}
