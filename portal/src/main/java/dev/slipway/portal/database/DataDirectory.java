package dev.slipway.portal.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where local mode keeps its state ({@code slipway.data-dir}, default {@code ./data}): the
 * embedded PostgreSQL, the local GitOps repository and the writer's clone. Resolved once, so
 * every part of the portal agrees on it.
 */
public record DataDirectory(Path path) {

    public DataDirectory {
        path = path.toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + path, e);
        }
    }

    public Path resolve(String child) {
        return path.resolve(child);
    }
}
