package dev.slipway.portal.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.templates.EnvironmentSpec;
import dev.slipway.templates.Renderer;
import dev.slipway.templates.ServiceSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chart values whose rendered objects are known to pass the platform's policy, remembered with the
 * service's identity abstracted: its team and name become placeholders of the same lengths, and so
 * do the image repository and ingress host Slipway derives from them. The chart uses the identity
 * as text only (a test renders both and compares), so two services that differ only in their names
 * get the same verdict, and a creation can skip rendering the chart again (Helm costs milliseconds
 * per environment). Only passing verdicts are kept: a failing check is always rendered and reported
 * in full. Anything else in the values is part of the key as it is.
 */
final class PassedCharts {

    private static final int KEPT = 10_000;

    private final Renderer renderer;
    private final Map<String, Boolean> passed = new ConcurrentHashMap<>();

    PassedCharts(Renderer renderer) {
        this.renderer = renderer;
    }

    /** What a verdict is remembered by: the chart, the environment and the values with the names abstracted. */
    String key(String chart, EnvironmentSpec environment, ObjectNode values, ServiceSpec service) {
        return chart + "\n" + environment + "\n" + abstracted(values, service, environment);
    }

    boolean passed(String key) {
        return passed.containsKey(key);
    }

    void remember(String key) {
        if (passed.size() >= KEPT) {
            passed.clear();
        }
        passed.put(key, Boolean.TRUE);
    }

    /** The identity every service with names of these lengths stands in for. */
    static ServiceSpec placeholder(ServiceSpec service) {
        return new ServiceSpec("t".repeat(service.team().length()), "s".repeat(service.name().length()), "");
    }

    /** The values with the service's identity replaced by the placeholder's, wherever Slipway put it. */
    ObjectNode abstracted(ObjectNode values, ServiceSpec service, EnvironmentSpec environment) {
        ServiceSpec placeholder = placeholder(service);
        ObjectNode copy = values.deepCopy();
        replace(copy, "service", service.name(), placeholder.name());
        replace(copy, "team", service.team(), placeholder.team());
        if (copy.get("image") instanceof ObjectNode image) {
            replace(image, "repository", renderer.imageRepository(service), renderer.imageRepository(placeholder));
        }
        if (copy.get("ingress") instanceof ObjectNode ingress) {
            replace(ingress, "host", renderer.ingressHost(service, environment), renderer.ingressHost(placeholder, environment));
        }
        return copy;
    }

    /** Replaces a field only where it holds exactly what Slipway derived; anything else stays in the key. */
    private static void replace(ObjectNode node, String field, String derived, String placeholder) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual() && value.asText().equals(derived)) {
            node.put(field, placeholder);
        }
    }
}
