package dev.slipway.gitops;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A request to write one set of files to the GitOps repository. Its id travels in the commit
 * message as {@code Slipway-Change-Id: <uuid>}, so a retried change is recognised, not written twice.
 *
 * @param title       the commit's subject line (and the pull request's title)
 * @param body        more lines for the commit message (may be empty)
 * @param authorName  who asked for it
 * @param authorEmail their e-mail, or a placeholder
 */
public record Change(UUID id, String title, String body, String authorName, String authorEmail, List<FileWrite> files) {

    public static final String TRAILER = "Slipway-Change-Id";

    public Change {
        Objects.requireNonNull(id, "id");
        if (title == null || title.isBlank() || title.contains("\n")) {
            throw new IllegalArgumentException("a change needs a one-line title");
        }
        body = body == null ? "" : body.strip();
        files = List.copyOf(files);
        if (files.stream().map(FileWrite::path).distinct().count() != files.size()) {
            throw new IllegalArgumentException("a change writes each path once");
        }
    }

    String commitMessage() {
        return title.strip() + "\n\n" + (body.isEmpty() ? "" : body + "\n\n") + TRAILER + ": " + id + "\n";
    }
}
