package dev.slipway.portal.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Argo CD's {@code Application}s that Slipway generated: their sync status, health and synced
 * revision. Argo CD's health is stale until it reconciled after its last operation finished
 * ({@code reconciledAt} at or after {@code operationState.finishedAt}), and while an operation
 * runs: read as {@code Unknown} then, as Kargo learnt when it promoted through that window (kargo#7032).
 */
final class Applications {

    static final String API_VERSION = "argoproj.io/v1alpha1";
    static final String KIND = "Application";
    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder().withGroup("argoproj.io")
            .withVersion("v1alpha1").withKind(KIND).withPlural("applications").withNamespaced(true).build();
    static final String UNKNOWN = "Unknown";

    private Applications() {
    }

    static EnvironmentStatus.ArgoCd status(GenericKubernetesResource application) {
        Map<String, Object> status = map(application.getAdditionalProperties().get("status"));
        Map<String, Object> sync = map(status.get("sync"));
        Map<String, Object> health = map(status.get("health"));
        Map<String, Object> operation = map(status.get("operationState"));
        String healthStatus = text(health.get("status"));
        String phase = text(operation.get("phase"));
        Instant finished = instant(operation.get("finishedAt"));
        Instant reconciled = instant(status.get("reconciledAt"));
        boolean stale = "Running".equals(phase) || "Terminating".equals(phase)
                || finished != null && (reconciled == null || reconciled.isBefore(finished));
        return new EnvironmentStatus.ArgoCd(orUnknown(text(sync.get("status"))),
                stale ? UNKNOWN : orUnknown(healthStatus), revision(sync));
    }

    /** A single source's {@code revision}, or the first of a multi-source Application's {@code revisions} (the chart's). */
    private static String revision(Map<String, Object> sync) {
        String revision = text(sync.get("revision"));
        if (revision == null && sync.get("revisions") instanceof List<?> revisions && !revisions.isEmpty()) {
            revision = text(revisions.getFirst());
        }
        return revision;
    }

    /** What the informer's cache keeps of an Application: its name, labels and the status read above. */
    static GenericKubernetesResource slim(GenericKubernetesResource application) {
        Map<String, Object> status = map(application.getAdditionalProperties().get("status"));
        var kept = new LinkedHashMap<String, Object>();
        copy(status, kept, "sync", "status", "revision", "revisions");
        copy(status, kept, "health", "status");
        copy(status, kept, "operationState", "phase", "finishedAt");
        if (status.get("reconciledAt") != null) {
            kept.put("reconciledAt", status.get("reconciledAt"));
        }
        return new GenericKubernetesResourceBuilder().withApiVersion(application.getApiVersion())
                .withKind(application.getKind()).withMetadata(SlimStore.meta(application.getMetadata(), false))
                .addToAdditionalProperties("status", kept).build();
    }

    private static void copy(Map<String, Object> from, Map<String, Object> to, String field, String... keys) {
        Map<String, Object> part = map(from.get(field));
        var copied = new LinkedHashMap<String, Object>();
        for (String key : keys) {
            if (part.get(key) != null) {
                copied.put(key, part.get(key));
            }
        }
        if (!copied.isEmpty()) {
            to.put(field, copied);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    private static String orUnknown(String value) {
        return value == null ? UNKNOWN : value;
    }

    private static Instant instant(Object value) {
        try {
            return value == null ? null : Instant.parse(value.toString());
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
