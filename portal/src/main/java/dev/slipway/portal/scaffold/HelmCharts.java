package dev.slipway.portal.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import dev.slipway.templates.Yaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Slipway's charts (from the slipway-charts jar) rendered by the real Helm engine, as Argo CD
 * would render them. Helm reads charts from disk, so each is unpacked once into a private
 * temporary directory.
 */
@Component
class HelmCharts implements ChartRenderer, DisposableBean {

    private final Path root;
    private final Map<String, Path> unpacked = new ConcurrentHashMap<>();
    private final HostSignals signals = new HostSignals();

    HelmCharts() throws IOException {
        root = Files.createTempDirectory("slipway-charts");
    }

    @Override
    public List<JsonNode> render(String chart, ObjectNode values) {
        Path directory = unpacked.computeIfAbsent(chart, this::unpack);
        Path valuesFile = null;
        try {
            valuesFile = Files.createTempFile(root, "values", ".yaml");
            Files.writeString(valuesFile, Yaml.write(values));
            String manifests = new Helm(directory).template()
                    .withName(values.path("service").asText("release"))
                    .withValuesFile(valuesFile)
                    .call();
            return Yaml.readAll(manifests);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException refused) {
            // helm-java reports a values schema violation or a template's fail as an IllegalStateException
            throw new InvalidChartValuesException(refused.getMessage());
        } finally {
            signals.restore();
            if (valuesFile != null) {
                valuesFile.toFile().delete();
            }
        }
    }

    private Path unpack(String chart) {
        Path target = root.resolve(chart);
        try {
            for (var file : files(chart).entrySet()) {
                Path destination = target.resolve(file.getKey()).normalize();
                if (!destination.startsWith(target)) {
                    throw new IllegalStateException("chart file outside its chart: " + file.getKey());
                }
                Files.createDirectories(destination.getParent());
                Files.write(destination, file.getValue());
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack chart " + chart, e);
        }
    }

    /**
     * The files of one of Slipway's charts, by their path in the chart, sorted.
     *
     * @throws IllegalArgumentException when Slipway has no such chart
     */
    static java.util.SortedMap<String, byte[]> files(String chart) {
        try {
            var resolver = new PathMatchingResourcePatternResolver(HelmCharts.class.getClassLoader());
            String prefix = "charts/" + chart + "/";
            var files = new java.util.TreeMap<String, byte[]>();
            for (Resource file : resolver.getResources("classpath*:" + prefix + "**")) {
                String url = file.getURL().toString();
                String relative = url.substring(url.lastIndexOf(prefix) + prefix.length());
                if (relative.isEmpty() || relative.endsWith("/") || !file.isReadable()) {
                    continue;
                }
                try (InputStream in = file.getInputStream()) {
                    files.put(relative, in.readAllBytes());
                }
            }
            if (!files.containsKey("Chart.yaml")) {
                throw new IllegalArgumentException("Slipway has no chart named " + chart);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chart " + chart, e);
        }
    }

    @Override
    public void destroy() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
