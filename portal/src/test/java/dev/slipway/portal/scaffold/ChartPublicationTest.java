package dev.slipway.portal.scaffold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.gitops.FileWrite;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What publishing Slipway's chart into the GitOps repository writes: the whole of it, once, and only over an older one. */
class ChartPublicationTest {

    static final String DIR = "charts/microservice";
    final SortedMap<String, byte[]> chart = HelmCharts.files("microservice");
    final String version = new String(chart.get("Chart.yaml"), StandardCharsets.UTF_8).lines()
            .filter(l -> l.startsWith("version:")).findFirst().orElseThrow().substring("version:".length()).trim();

    @Test
    void aBranchWithoutTheChartGetsEveryFileOfIt() {
        var plan = ChartPublication.planFor(DIR, chart, Map.of()).orElseThrow();
        assertThat(plan.files()).extracting(FileWrite::path).containsExactlyElementsOf(
                chart.keySet().stream().map(p -> DIR + "/" + p).toList());
        assertThat(plan.files()).extracting(FileWrite::mode).containsOnly(FileWrite.Mode.CREATE);
        assertThat(plan.files()).extracting(FileWrite::path).contains(DIR + "/Chart.yaml", DIR + "/templates/deployment.yaml",
                DIR + "/values.schema.json");
        assertThat(plan.title()).isEqualTo("Publish chart microservice " + version);
        assertThat(ChartPublication.planFor(DIR, chart, Map.of()).orElseThrow().changeId()).isEqualTo(plan.changeId());
    }

    @Test
    void anOlderChartIsReplacedAndWhatItHadAndThisOneHasNotIsDeleted() {
        var onBranch = new TreeMap<String, String>();
        chart.forEach((path, content) -> onBranch.put(DIR + "/" + path, new String(content, StandardCharsets.UTF_8)));
        onBranch.put(DIR + "/Chart.yaml", "apiVersion: v2\nname: microservice\nversion: 0.9.0\n");
        onBranch.put(DIR + "/templates/legacy.yaml", "# gone in the new chart\n");

        var plan = ChartPublication.planFor(DIR, chart, onBranch).orElseThrow();
        assertThat(plan.title()).isEqualTo("Publish chart microservice " + version + " (was 0.9.0)");
        assertThat(plan.files()).extracting(f -> f.mode() + " " + f.path()).containsExactlyInAnyOrder(
                "REPLACE " + DIR + "/Chart.yaml", "DELETE " + DIR + "/templates/legacy.yaml");
    }

    @Test
    void theSameOrANewerChartOnTheBranchIsLeftAlone() {
        var same = new TreeMap<String, String>();
        chart.forEach((path, content) -> same.put(DIR + "/" + path, new String(content, StandardCharsets.UTF_8)));
        assertThat(ChartPublication.planFor(DIR, chart, same)).isEmpty();
        // a newer portal (another replica, mid-upgrade) published a newer one
        same.put(DIR + "/Chart.yaml", "apiVersion: v2\nname: microservice\nversion: 99.0.0\n");
        assertThat(ChartPublication.planFor(DIR, chart, same)).isEmpty();
    }
}
