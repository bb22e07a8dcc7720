package dev.slipway.gitops;

import java.util.Objects;

/**
 * One file a change writes, and what it expects to find there.
 *
 * @param mode {@link Mode#CREATE}: the file must be absent (or already hold exactly this content);
 *             {@link Mode#CREATE_IF_ABSENT}: written only if absent, left alone otherwise (a team's
 *             namespace bundle, which the first service of the team brings);
 *             {@link Mode#REPLACE}: written whatever is there;
 *             {@link Mode#DELETE}: removed, {@code content} being what the change expects it to hold (a
 *             file that holds something else is a conflict; one already absent is fine);
 *             {@link Mode#MERGE}: {@code content} merged into what the file holds when the change is
 *             committed, by the writer's {@link FileMerge} (a file that is absent, or cannot take it, is a
 *             conflict)
 */
public record FileWrite(String path, String content, Mode mode) {

    public enum Mode { CREATE, CREATE_IF_ABSENT, REPLACE, DELETE, MERGE }

    public FileWrite {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(mode, "mode");
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("//")
                || path.endsWith("/") || ("/" + path + "/").contains("/../") || ("/" + path + "/").contains("/./")
                || path.startsWith(".git/") || path.contains("/.git/")) {
            throw new IllegalArgumentException("not a safe repository path: " + path);
        }
    }
}
