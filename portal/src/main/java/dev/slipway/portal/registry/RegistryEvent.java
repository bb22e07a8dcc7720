package dev.slipway.portal.registry;

import dev.slipway.portal.api.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One event of an Azure Container Registry webhook, validated. Microsoft's documented examples mask
 * ids and digests with {@code xxxx}, so an id is any short token and a digest's hex part is checked
 * for its shape (letters and digits, the algorithm's length), not for being hex.
 *
 * @param registry the registry's host ({@code request.host}); null when the event names none
 * @param tag      null for a delete, which names a manifest
 */
record RegistryEvent(String id, Action action, Instant timestamp, String registry, String repository, String digest,
                     String tag, String mediaType, Long size) {

    enum Action { PUSH, DELETE, IGNORED }

    static final int MAX_REPOSITORY_LENGTH = 256;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final Pattern DIGEST = Pattern.compile("sha256:[A-Za-z0-9]{64}|sha512:[A-Za-z0-9]{128}");
    // the OCI distribution spec's repository name, lowercase components joined by '/'
    static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::[0-9]{1,5})?");

    /** @throws InvalidInputException naming every field at fault */
    static RegistryEvent of(JsonNode event) {
        var errors = new ArrayList<InvalidInputException.FieldError>();
        String id = text(event, "/id");
        if (id == null || !ID.matcher(id).matches()) {
            errors.add(new InvalidInputException.FieldError("id", "must be the event's id"));
        }
        String actionName = text(event, "/action");
        Action action = switch (actionName == null ? "" : actionName) {
            case "push" -> Action.PUSH;
            case "delete" -> Action.DELETE;
            case "" -> null;
            // chart_push, chart_delete, quarantine…: nothing an image of a service is made of
            default -> Action.IGNORED;
        };
        if (action == null) {
            errors.add(new InvalidInputException.FieldError("action", "is required"));
        }
        Instant timestamp = null;
        try {
            String text = text(event, "/timestamp");
            timestamp = text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            // reported below
        }
        if (timestamp == null) {
            errors.add(new InvalidInputException.FieldError("timestamp", "must be an ISO-8601 instant"));
        }
        if (action == Action.IGNORED) {
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            return new RegistryEvent(id, action, timestamp, null, null, null, null, null, null);
        }
        String registry = text(event, "/request/host");
        if (registry != null && !HOST.matcher(registry).matches()) {
            errors.add(new InvalidInputException.FieldError("request.host", "must be a registry's host name"));
        }
        String repository = text(event, "/target/repository");
        if (repository == null || repository.length() > MAX_REPOSITORY_LENGTH || !REPOSITORY.matcher(repository).matches()) {
            errors.add(new InvalidInputException.FieldError("target.repository", "must be a repository name"));
        }
        String digest = text(event, "/target/digest");
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            errors.add(new InvalidInputException.FieldError("target.digest", "must be a digest such as sha256:<64 characters>"));
        }
        String tag = text(event, "/target/tag");
        if (tag != null && !TAG.matcher(tag).matches()) {
            errors.add(new InvalidInputException.FieldError("target.tag", "must be a tag"));
        }
        if (action == Action.PUSH && tag == null) {
            errors.add(new InvalidInputException.FieldError("target.tag", "is required for a push"));
        }
        String mediaType = text(event, "/target/mediaType");
        if (mediaType != null && mediaType.length() > 255) {
            errors.add(new InvalidInputException.FieldError("target.mediaType", "must be at most 255 characters"));
        }
        JsonNode size = event.at("/target/size");
        if (!size.isMissingNode() && !size.isNull() && !(size.canConvertToLong() && size.asLong() >= 0)) {
            errors.add(new InvalidInputException.FieldError("target.size", "must be a number of bytes"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new RegistryEvent(id, action, timestamp, registry, repository, digest, action == Action.DELETE ? null : tag,
                mediaType, size.isMissingNode() || size.isNull() ? null : size.asLong());
    }

    private static String text(JsonNode event, String pointer) {
        JsonNode node = event.at(pointer);
        return node.isString() ? node.asString() : null;
    }
}
