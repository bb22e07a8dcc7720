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
        try {
            var resolver = new PathMatchingResourcePatternResolver(getClass().getClassLoader());
            String prefix = "charts/" + chart + "/";
            Resource[] files = resolver.getResources("classpath*:" + prefix + "**");
            Path target = root.resolve(chart);
            int copied = 0;
            for (Resource file : files) {
                String url = file.getURL().toString();
                int at = url.lastIndexOf(prefix);
                String relative = url.substring(at + prefix.length());
                if (relative.isEmpty() || relative.endsWith("/") || !file.isReadable()) {
                    continue;
                }
                Path destination = target.resolve(relative).normalize();
                if (!destination.startsWith(target)) {
                    throw new IllegalStateException("chart file outside its chart: " + url);
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = file.getInputStream()) {
                    Files.copy(in, destination);
                }
                copied++;
            }
            if (copied == 0 || !Files.exists(target.resolve("Chart.yaml"))) {
                throw new IllegalArgumentException("Slipway has no chart named " + chart);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack chart " + chart, e);
        }
    }

    @Override
    public void destroy() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
