package dev.slipway.templates;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules that relate parameters to each other, which a JSON Schema cannot say: requests within
 * limits, limits within what one container may have, a sane autoscaling range, and what Key Vault
 * secrets need.
 */
final class ParameterRules {

    static final long MAX_CPU_MILLIS = 4000;
    static final long MAX_MEMORY_MIB = 8192;

    private ParameterRules() {
    }

    static List<Violation> check(JsonNode parameters) {
        var violations = new ArrayList<Violation>();
        JsonNode resources = parameters.path("resources");
        if (!resources.isMissingNode()) {
            long requestsCpu = cpuMillis(resources.path("requests").path("cpu").asText());
            long limitsCpu = cpuMillis(resources.path("limits").path("cpu").asText());
            long requestsMemory = memoryMib(resources.path("requests").path("memory").asText());
            long limitsMemory = memoryMib(resources.path("limits").path("memory").asText());
            if (requestsCpu > limitsCpu) {
                violations.add(new Violation("parameters.resources.requests.cpu", "must not be more than the CPU limit"));
            }
            if (requestsMemory > limitsMemory) {
                violations.add(new Violation("parameters.resources.requests.memory", "must not be more than the memory limit"));
            }
            if (limitsCpu > MAX_CPU_MILLIS) {
                violations.add(new Violation("parameters.resources.limits.cpu", "must be at most 4 cores (4000m)"));
            }
            if (limitsMemory > MAX_MEMORY_MIB) {
                violations.add(new Violation("parameters.resources.limits.memory", "must be at most 8Gi"));
            }
            if (requestsCpu < 10) {
                violations.add(new Violation("parameters.resources.requests.cpu", "must be at least 10m"));
            }
            if (requestsMemory < 16) {
                violations.add(new Violation("parameters.resources.requests.memory", "must be at least 16Mi"));
            }
        }
        JsonNode autoscaling = parameters.path("autoscaling");
        if (autoscaling.path("enabled").asBoolean(false)
                && autoscaling.path("minReplicas").asInt() > autoscaling.path("maxReplicas").asInt()) {
            violations.add(new Violation("parameters.autoscaling.maxReplicas", "must be at least minReplicas"));
        }
        JsonNode keyVault = parameters.path("keyVault");
        if (keyVault.path("enabled").asBoolean(false)) {
            if (keyVault.path("name").asText("").isEmpty()) {
                violations.add(new Violation("parameters.keyVault.name", "is required to mount Key Vault secrets"));
            }
            if (keyVault.path("secrets").isEmpty()) {
                violations.add(new Violation("parameters.keyVault.secrets", "must name at least one secret"));
            }
            if (parameters.path("workloadIdentity").path("clientId").asText("").isEmpty()) {
                violations.add(new Violation("parameters.workloadIdentity.clientId",
                        "is required for Key Vault: the pods read secrets as this identity"));
            }
        }
        return violations;
    }

    /** A CPU quantity the schema accepted (250m, 0.5, 2) in millicores. */
    static long cpuMillis(String quantity) {
        if (quantity.endsWith("m")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 1));
        }
        return new BigDecimal(quantity).movePointRight(3).longValue();
    }

    /** A memory quantity the schema accepted (256Mi, 1Gi) in MiB. */
    static long memoryMib(String quantity) {
        long amount = Long.parseLong(quantity.substring(0, quantity.length() - 2));
        return quantity.endsWith("Gi") ? amount * 1024 : amount;
    }
}
