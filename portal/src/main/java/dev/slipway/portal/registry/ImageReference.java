package dev.slipway.portal.registry;

import java.util.Optional;

/** An image by digest, as {@code <registry>/<repository>@sha256:<hex>} names it. */
public record ImageReference(String registry, String repository, String digest) {

    /** The reference, if the text is one: a registry host, a repository, a digest. */
    public static Optional<ImageReference> parse(String text) {
        if (text == null || text.length() > 600) {
            return Optional.empty();
        }
        int at = text.indexOf('@');
        int slash = text.indexOf('/');
        if (at < 0 || slash < 0 || slash > at) {
            return Optional.empty();
        }
        String registry = text.substring(0, slash);
        String repository = text.substring(slash + 1, at);
        String digest = text.substring(at + 1);
        // as Docker tells a registry from a repository's first component: a dot, a port, or localhost
        boolean host = registry.contains(".") || registry.contains(":") || registry.equals("localhost");
        if (!host || !RegistryEvent.HOST.matcher(registry).matches()
                || repository.length() > RegistryEvent.MAX_REPOSITORY_LENGTH
                || !RegistryEvent.REPOSITORY.matcher(repository).matches()
                || !RegistryEvent.DIGEST.matcher(digest).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ImageReference(registry, repository, digest));
    }

    @Override
    public String toString() {
        return registry + "/" + repository + "@" + digest;
    }
}
