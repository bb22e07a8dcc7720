package dev.slipway.portal.gitops;

import dev.slipway.gitops.FileDiff;
import dev.slipway.gitops.GitOpsUnavailableException;
import dev.slipway.gitops.GitOpsWriter;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What a change writes, as a diff against the branch (before it is written, against the branch's
 * tip; after, against what the branch held just before its commit), and where its commit can be
 * seen on the hosting service.
 */
@Component
public class ChangeFiles {

    /** The diffs, or why they cannot be shown now. */
    public record Diffs(List<FileDiff> files, String unavailable) {
    }

    private final Changes changes;
    private final GitOpsWriter writer;
    private final GitOpsProperties properties;

    ChangeFiles(Changes changes, GitOpsWriter writer, GitOpsProperties properties) {
        this.changes = changes;
        this.writer = writer;
        this.properties = properties;
    }

    /** For anyone who may read Slipway. */
    public Diffs of(UUID changeId) {
        return of(changes.change(changeId));
    }

    /** Without a caller check: for views refreshing a change their user already opened. */
    public Diffs of(ChangeRecord change) {
        try {
            return new Diffs(writer.diff().files(changes.filesOf(change.id())).writtenAs(change.commitSha()).call(), null);
        } catch (GitOpsUnavailableException unavailable) {
            return new Diffs(List.of(), unavailable.getMessage());
        }
    }

    /** The commit's page on GitHub or Azure DevOps; null where there is none (local mode's own repository). */
    public String commitUrl(String sha) {
        if (sha == null) {
            return null;
        }
        return switch (properties.pullRequests()) {
            case "github" -> properties.github() == null ? null : githubWeb(properties.github().apiUrl())
                    + "/" + properties.github().owner() + "/" + properties.github().repository() + "/commit/" + sha;
            case "azure-devops" -> properties.azureDevops() == null ? null
                    : trim(properties.azureDevops().organizationUrl()) + "/" + properties.azureDevops().project()
                    + "/_git/" + properties.azureDevops().repository() + "/commit/" + sha;
            default -> null;
        };
    }

    /** github.com's API is api.github.com; GitHub Enterprise Server's is https://HOST/api/v3. */
    private static String githubWeb(String apiUrl) {
        if (apiUrl == null || apiUrl.isBlank() || trim(apiUrl).equals("https://api.github.com")) {
            return "https://github.com";
        }
        String base = trim(apiUrl);
        return base.endsWith("/api/v3") ? base.substring(0, base.length() - "/api/v3".length()) : base;
    }

    private static String trim(String url) {
        return url.replaceAll("/+$", "");
    }
}
