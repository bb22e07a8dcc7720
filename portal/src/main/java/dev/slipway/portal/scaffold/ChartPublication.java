package dev.slipway.portal.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.gitops.FileWrite;
import dev.slipway.gitops.GitOpsWriter;
import dev.slipway.portal.audit.AuditLog;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.Changes;
import dev.slipway.templates.PlatformSettings;
import dev.slipway.templates.Yaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;
import org.semver4j.Semver;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts Slipway's chart where the generated Applications say it is, when that is the GitOps
 * repository itself (local mode's default: {@code chart-repo-url} is the GitOps repository's URL):
 * at start-up, by one Change, when the branch has no chart at {@code chart-path} or an older one
 * than the portal's. When an admin publishes the chart elsewhere (an OCI registry such as ACR, or
 * another Git repository), the settings point there and nothing is written.
 */
@Component
class ChartPublication extends StartupChange {

    static final String CHART = "microservice";
    static final String ACTOR = "slipway";

    private final GitOpsWriter writer;
    private final Changes changes;
    private final AuditLog audit;
    private final PlatformSettings platform;
    private final TransactionTemplate transactions;

    ChartPublication(GitOpsWriter writer, Changes changes, AuditLog audit, PlatformSettings platform,
                     TransactionTemplate transactions) {
        super("gitops-chart", "chart");
        this.writer = writer;
        this.changes = changes;
        this.audit = audit;
        this.platform = platform;
        this.transactions = transactions;
    }

    /** The files one Change writes, and the versions it moves between (null: no chart there before). */
    record Plan(String version, String before, List<FileWrite> files) {
        /** The same plan gets the same id, so that replicas starting together store it once. */
        UUID changeId() {
            var key = new StringBuilder("slipway: chart ").append(CHART).append(' ').append(version).append('\n');
            files.forEach(f -> key.append(f.mode()).append(' ').append(f.path()).append('\n').append(f.content()));
            return UUID.nameUUIDFromBytes(key.toString().getBytes(StandardCharsets.UTF_8));
        }

        String title() {
            return "Publish chart " + CHART + " " + version + (before == null ? "" : " (was " + before + ")");
        }
    }

    /**
     * What to write so that {@code directory} holds {@code chart}; empty when the branch's chart is as
     * new or newer (a newer one comes from a newer portal, which another replica may be).
     *
     * @param onBranch the branch's files under {@code directory}
     */
    static Optional<Plan> planFor(String directory, SortedMap<String, byte[]> chart, Map<String, String> onBranch) {
        String version = version(new String(chart.get("Chart.yaml"), StandardCharsets.UTF_8));
        String branchChart = onBranch.get(directory + "/Chart.yaml");
        String before = branchChart == null ? null : version(branchChart);
        if (branchChart != null) {
            Semver theirs = before == null ? null : Semver.parse(before);
            if (theirs != null && !Semver.parse(version).isGreaterThan(theirs)) {
                return Optional.empty();
            }
        }
        var files = new ArrayList<FileWrite>();
        chart.forEach((path, content) -> {
            String full = directory + "/" + path;
            String text = new String(content, StandardCharsets.UTF_8);
            if (!text.equals(onBranch.get(full))) {
                files.add(new FileWrite(full, text, onBranch.containsKey(full) ? FileWrite.Mode.REPLACE : FileWrite.Mode.CREATE));
            }
        });
        // what the older chart had and this one has not (deleted only if it still holds what was read)
        onBranch.forEach((full, content) -> {
            if (!chart.containsKey(full.substring(directory.length() + 1))) {
                files.add(new FileWrite(full, content, FileWrite.Mode.DELETE));
            }
        });
        return Optional.of(new Plan(version, before, files));
    }

    private static String version(String chartYaml) {
        try {
            JsonNode version = Yaml.read(chartYaml).path("version");
            return version.isMissingNode() || version.isNull() ? null : version.asText();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Whether the Applications read the chart from the GitOps repository's branch, where Slipway writes. */
    boolean chartInGitOpsRepository() {
        return platform.chartRepoUrl().equals(platform.gitopsRepoUrl())
                && platform.chartRevision().equals(platform.gitopsRevision());
    }

    /** Plans against the branch as it is now and stores the Change, once. */
    Optional<ChangeRecord> publish() {
        if (!chartInGitOpsRepository()) {
            return Optional.empty();
        }
        String directory = platform.chartPath().replaceAll("^/+|/+$", "");
        Map<String, String> onBranch = writer.read().under(directory).call();
        Optional<Plan> plan = planFor(directory, HelmCharts.files(CHART), onBranch);
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        return transactions.execute(tx -> {
            Optional<ChangeRecord> change = changes.enqueueOnce(plan.get().changeId(), plan.get().title(), ACTOR,
                    plan.get().files());
            change.ifPresent(c -> audit.record(ACTOR, "chart.published", "chart/" + CHART, Map.of("change", c.id().toString(),
                    "version", plan.get().version(), "path", directory)));
            return change;
        });
    }

    @Override
    Optional<ChangeRecord> plan() {
        return publish();
    }
}
