package dev.slipway.portal.registry;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One row of Microsoft Defender for Cloud's container image findings, as Azure Resource Graph returns
 * it, in any of the three formats tenants export: the individual recommendations of category
 * {@code SoftwareUpdate} (the current model, one row per software update, its CVEs in
 * {@code additionalData.CvesDetails}), and the retired grouped sub-assessments of MDVM
 * ({@code AzureContainerRegistryVulnerability}) and of Qualys ({@code ContainerRegistryVulnerability}).
 * Microsoft documents where the current model names the image only loosely, so the image is looked
 * for in every place any of them has used, and a row that names none is reported, not guessed.
 *
 * @param image    what the row says of the image; the digest may be all there is
 * @param findings one per CVE (a software update fixes several)
 */
record DefenderFinding(Image image, Instant scannedAt, List<Finding> findings) {

    /** An image as a row names it: any part may be missing but the digest. */
    record Image(String registry, String repository, String digest) {
    }

    enum Format { INDIVIDUAL, MDVM, QUALYS }

    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern REPOSITORY_IN_ID = Pattern.compile("/repositor(?:y|ies)/(.+?)/(?:images|imageDigest)/");
    private static final Pattern REGISTRY_IN_ID = Pattern.compile("(?i)/registries/([a-z0-9]+)(?:/|$)");

    /** The row's format, or empty for a row that is none of Defender's container image findings. */
    static Optional<Format> formatOf(JsonNode row) {
        String type = text(row, "type");
        if (type == null) {
            return Optional.empty();
        }
        if (type.equalsIgnoreCase("microsoft.security/assessments")) {
            return Optional.of(Format.INDIVIDUAL);
        }
        if (!type.equalsIgnoreCase("microsoft.security/assessments/subassessments")) {
            return Optional.empty();
        }
        String assessed = text(row, "properties", "additionalData", "assessedResourceType");
        if ("AzureContainerRegistryVulnerability".equalsIgnoreCase(assessed)) {
            return Optional.of(Format.MDVM);
        }
        if ("ContainerRegistryVulnerability".equalsIgnoreCase(assessed)) {
            return Optional.of(Format.QUALYS);
        }
        return Optional.empty();
    }

    /**
     * The row's findings and image; empty when the row is no container image finding, is resolved
     * ({@code Healthy}), or names no image digest (see {@link #namesNoImage}).
     */
    static Optional<DefenderFinding> of(JsonNode row) {
        Optional<Format> format = formatOf(row);
        if (format.isEmpty() || "Healthy".equalsIgnoreCase(text(row, "properties", "status", "code"))) {
            return Optional.empty();
        }
        Image image = imageOf(row);
        if (image == null) {
            return Optional.empty();
        }
        JsonNode properties = child(row, "properties");
        JsonNode data = child(properties, "additionalData");
        String status = lower(text(properties, "status", "code"));
        Instant scannedAt = instant(first(text(properties, "timeGenerated"), text(row, "timeGenerated"),
                text(properties, "status", "statusChangeDate"), text(properties, "status", "firstEvaluationDate")));
        var findings = new ArrayList<Finding>();
        switch (format.get()) {
            case INDIVIDUAL -> {
                String severity = first(text(properties, "metadata", "severity"), text(properties, "status", "severity"));
                String packageName = first(text(data, "SoftwareName"), text(data, "PackageName"), text(data, "Software"),
                        text(data, "softwareDetails", "packageName"));
                String installed = first(text(data, "SoftwareVersion"), text(data, "InstalledVersion"),
                        text(data, "Version"), text(data, "softwareDetails", "version"));
                String fixed = first(text(data, "FixedVersion"), text(data, "RecommendedVersion"),
                        text(data, "softwareDetails", "fixedVersion"));
                String title = first(text(properties, "displayName"), text(properties, "metadata", "displayName"));
                JsonNode cves = child(data, "CvesDetails");
                if (cves != null && cves.isArray() && !cves.isEmpty()) {
                    for (JsonNode cve : cves) {
                        String id = cve.isString() ? cve.asString() : first(text(cve, "CveId"), text(cve, "Id"),
                                text(cve, "Name"));
                        if (id != null) {
                            findings.add(new Finding(id, packageName, installed, fixed,
                                    Finding.Severity.of(first(text(cve, "Severity"), severity)), status,
                                    first(text(cve, "Title"), title), first(text(cve, "Link"), text(cve, "Url"),
                                    nvd(id)), null));
                        }
                    }
                } else {
                    // an update with no CVE listed: the recommendation itself is the finding
                    String id = first(text(properties, "metadata", "assessmentKey"), text(row, "name"));
                    if (id != null) {
                        findings.add(new Finding(id, packageName, installed, fixed, Finding.Severity.of(severity), status,
                                title, null, null));
                    }
                }
            }
            case MDVM -> {
                String id = first(text(properties, "id"), text(data, "vulnerabilityDetails", "cveId"));
                if (id != null) {
                    findings.add(new Finding(id, text(data, "softwareDetails", "packageName"),
                            text(data, "softwareDetails", "version"), text(data, "softwareDetails", "fixedVersion"),
                            Finding.Severity.of(first(text(data, "vulnerabilityDetails", "severity"),
                                    text(properties, "status", "severity"))), status,
                            first(text(properties, "displayName"), id), referenceOf(data, id),
                            text(data, "softwareDetails", "category")));
                }
            }
            case QUALYS -> {
                String id = text(properties, "id");
                if (id != null) {
                    // Qualys names no package: a QID, and whether a patch exists
                    boolean patchable = child(data, "patchable") != null && child(data, "patchable").asBoolean(false);
                    findings.add(new Finding("QID-" + id, "", null, patchable ? "patch available" : null,
                            Finding.Severity.of(text(properties, "status", "severity")), status,
                            text(properties, "displayName"), qualysLink(data), text(properties, "category")));
                }
            }
        }
        return Optional.of(new DefenderFinding(image, scannedAt, List.copyOf(findings)));
    }

    /** Whether the row is one of Defender's container image findings that names no image digest anywhere. */
    static boolean namesNoImage(JsonNode row) {
        return formatOf(row).isPresent() && imageOf(row) == null;
    }

    /** The image, from the first of the places the formats put it; null when no digest is anywhere. */
    static Image imageOf(JsonNode row) {
        JsonNode properties = child(row, "properties");
        JsonNode data = child(properties, "additionalData");
        String resourceId = first(text(properties, "resourceDetails", "id"), text(properties, "resourceDetails", "Id"),
                text(properties, "resourceDetails", "ResourceId"), text(properties, "resourceDetails", "NativeResourceId"));
        String digest = digestIn(text(data, "artifactDetails", "digest"), text(data, "ImageDigest"), text(data, "Digest"),
                text(data, "imageDigest"), text(properties, "resourceDetails", "ImageDigest"), resourceId, text(row, "id"));
        if (digest == null) {
            return null;
        }
        String repository = first(text(data, "artifactDetails", "repositoryName"), text(data, "RepositoryName"),
                text(data, "repositoryName"), text(properties, "resourceDetails", "RepositoryName"),
                match(REPOSITORY_IN_ID, resourceId));
        String registry = first(text(data, "artifactDetails", "registryHost"), text(data, "RegistryHost"),
                text(data, "registryHost"), text(properties, "resourceDetails", "RegistryHost"));
        if (registry == null) {
            String name = first(match(REGISTRY_IN_ID, resourceId), match(REGISTRY_IN_ID, text(row, "id")));
            registry = name == null ? null : name.toLowerCase(Locale.ROOT) + ".azurecr.io";
        }
        return new Image(registry, repository, digest);
    }

    private static String digestIn(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null) {
                Matcher matcher = DIGEST.matcher(candidate.toLowerCase(Locale.ROOT));
                if (matcher.find()) {
                    return matcher.group();
                }
            }
        }
        return null;
    }

    private static String referenceOf(JsonNode data, String id) {
        JsonNode references = child(child(data, "vulnerabilityDetails"), "references");
        if (references != null && references.isArray()) {
            for (JsonNode reference : references) {
                if (id.equals(text(reference, "title"))) {
                    return text(reference, "link");
                }
            }
        }
        return nvd(id);
    }

    private static String qualysLink(JsonNode data) {
        JsonNode cves = child(data, "cve");
        return cves != null && cves.isArray() && !cves.isEmpty() ? text(cves.get(0), "link") : null;
    }

    private static String nvd(String id) {
        return id.startsWith("CVE-") ? "https://nvd.nist.gov/vuln/detail/" + id : null;
    }

    private static String match(Pattern pattern, String text) {
        if (text == null) {
            return null;
        }
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Field names differ in case between ARG rows, REST bodies and the formats: looked up either way. */
    private static JsonNode child(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (var entry : node.properties()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode node, String... path) {
        JsonNode at = node;
        for (String name : path) {
            at = child(at, name);
        }
        return at != null && at.isString() && !at.asString().isBlank() ? at.asString() : null;
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    /** Defender's dates come with 6 or 7 fractional digits, with an offset, with Z, or with no zone at all (UTC). */
    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }
}
