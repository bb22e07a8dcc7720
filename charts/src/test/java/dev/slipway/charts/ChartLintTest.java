package dev.slipway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code helm lint --strict}. helm-java's lint takes no values, so the chart is copied and only the identity and
 * image (which have no defaults by design) are filled into the copy's values.yaml; everything else stays default.
 */
class ChartLintTest {

  @TempDir
  Path tmp;

  @Test
  void strictLintPassesForTheDefaultsWithIdentitySet() throws IOException {
    Path chart = copyChart();
    Path valuesFile = chart.resolve("values.yaml");
    ObjectNode values = (ObjectNode) MicroserviceChart.YAML.readTree(valuesFile.toFile());
    values.put("team", "payments").put("service", "checkout").put("environment", "dev");
    ((ObjectNode) values.get("image")).put("repository", "slipwayacr.azurecr.io/payments/checkout").put("tag", "1.4.2");
    MicroserviceChart.YAML.writeValue(valuesFile.toFile(), values);

    LintResult result = new Helm(chart).lint().strict().call();

    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void lintOfTheBareChartNamesTheMissingIdentity() {
    // The shipped values.yaml deliberately leaves team, service, environment and the image empty: Slipway sets them.
    LintResult result = new Helm(MicroserviceChart.PATH).lint().call();

    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("/team", "/service", "/environment", "/image");
  }

  private Path copyChart() throws IOException {
    Path target = tmp.resolve("microservice");
    try (Stream<Path> files = Files.walk(MicroserviceChart.PATH)) {
      files.forEach(source -> {
        try {
          Files.copy(source, target.resolve(MicroserviceChart.PATH.relativize(source).toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return target;
  }
}
