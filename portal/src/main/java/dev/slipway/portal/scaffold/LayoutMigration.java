package dev.slipway.portal.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.gitops.FileWrite;
import dev.slipway.gitops.GitOpsWriter;
import dev.slipway.portal.audit.AuditLog;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.Changes;
import dev.slipway.templates.EnvironmentSpec;
import dev.slipway.templates.GitOpsLayout;
import dev.slipway.templates.KubernetesNames;
import dev.slipway.templates.PlatformSettings;
import dev.slipway.templates.TeamProject;
import dev.slipway.templates.TeamSpec;
import dev.slipway.templates.Yaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves a GitOps repository written before Applications were grouped by team
 * ({@code clusters/<cluster>/apps/<team>-<service>-<env>.yaml}) to the layout of {@link GitOpsLayout},
 * at start-up, by one Change: every Application moves to {@code apps/<team>/<service>-<env>.yaml}
 * under the same name (Argo CD sees the same Application, never a second one) and into its team's
 * AppProject, which the same commit brings. The old files are deleted only if they still hold what
 * was read, so an edit made meanwhile makes the change conflicting rather than lost.
 */
@Component
class LayoutMigration extends StartupChange {

    static final String ACTOR = "slipway";
    private static final Logger log = LoggerFactory.getLogger(LayoutMigration.class);

    private final GitOpsWriter writer;
    private final Changes changes;
    private final AuditLog audit;
    private final Catalog catalog;
    private final Scaffold scaffold;
    private final PlatformSettings platform;
    private final TransactionTemplate transactions;

    LayoutMigration(GitOpsWriter writer, Changes changes, AuditLog audit, Catalog catalog, Scaffold scaffold,
                    PlatformSettings platform, TransactionTemplate transactions) {
        super("gitops-layout", "layout");
        this.writer = writer;
        this.changes = changes;
        this.audit = audit;
        this.catalog = catalog;
        this.scaffold = scaffold;
        this.platform = platform;
        this.transactions = transactions;
    }

    /** The files one Change writes to move {@code files} (the branch under {@code clusters/}) to the layout. */
    record Plan(List<FileWrite> files, int applications) {
        boolean empty() {
            return files.isEmpty();
        }

        /** The same plan gets the same id, so that replicas starting together store it once. */
        UUID changeId() {
            var key = new StringBuilder("slipway: apps grouped by team\n");
            files.forEach(f -> key.append(f.mode()).append(' ').append(f.path()).append('\n').append(f.content()));
            return UUID.nameUUIDFromBytes(key.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    static Plan plan(Map<String, String> files, Function<String, TeamSpec> teams, List<EnvironmentSpec> environments,
                     PlatformSettings platform) {
        var writes = new ArrayList<FileWrite>();
        var teamsByCluster = new TreeMap<String, TreeSet<String>>();
        int applications = 0;
        for (var file : new TreeMap<>(files).entrySet()) {
            Optional<Moved> moved = moved(file.getKey(), file.getValue(), true);
            if (moved.isEmpty()) {
                continue;
            }
            Moved application = moved.get();
            // written there already (by hand, or a half-done move): the file there stays the one Argo CD reads
            if (!files.containsKey(application.target())) {
                writes.add(new FileWrite(application.target(), Yaml.write(application.content()), FileWrite.Mode.CREATE));
            }
            writes.add(new FileWrite(file.getKey(), file.getValue(), FileWrite.Mode.DELETE));
            teamsByCluster.computeIfAbsent(application.cluster(), c -> new TreeSet<>()).add(application.team());
            applications++;
        }
        teamsByCluster.forEach((cluster, names) -> names.forEach(team -> {
            var project = TeamProject.file(teams.apply(team), cluster, environments, platform);
            writes.add(new FileWrite(project.path(), project.content(), FileWrite.Mode.CREATE_IF_ABSENT));
        }));
        return new Plan(writes, applications);
    }

    /** An Application of the old layout: where it goes, and what it holds there (its team's project). */
    private record Moved(String cluster, String team, String target, JsonNode content) {
    }

    /** What becomes of a file of the old layout; empty for one Slipway did not write (it stays). */
    private static Optional<Moved> moved(String path, String content, boolean warn) {
        Optional<String> cluster = GitOpsLayout.flatApplicationCluster(path);
        if (cluster.isEmpty()) {
            return Optional.empty();
        }
        JsonNode application;
        try {
            application = Yaml.read(content);
        } catch (RuntimeException unreadable) {
            if (warn) {
                log.warn("Leaving {} where it is: not YAML ({})", path, unreadable.getMessage());
            }
            return Optional.empty();
        }
        JsonNode labels = application.at("/metadata/labels");
        String team = labels.path("slipway.dev/team").asText("");
        String service = labels.path("slipway.dev/service").asText("");
        String environment = labels.path("slipway.dev/environment").asText("");
        if (!"Application".equals(application.path("kind").asText()) || !(application.path("spec") instanceof ObjectNode spec)
                || !KubernetesNames.dns1123Label(team).isEmpty() || !KubernetesNames.dns1035Label(service).isEmpty()
                || !KubernetesNames.dns1123Label(environment).isEmpty() || environment.contains("-")) {
            if (warn) {
                log.warn("Leaving {} where it is: not an Application Slipway wrote (no valid slipway.dev labels)", path);
            }
            return Optional.empty();
        }
        spec.put("project", GitOpsLayout.projectName(team));
        return Optional.of(new Moved(cluster.get(), team,
                GitOpsLayout.applicationPath(cluster.get(), team, service, environment), application));
    }

    private static Optional<String> target(String path, String content) {
        return moved(path, content, false).map(Moved::target);
    }

    /**
     * Plans against the branch as it is now and stores the Change, once. Only the old layout's files
     * are read (and then whether their new places are taken), not every file of the repository.
     */
    Optional<ChangeRecord> migrate() {
        Map<String, String> flat = writer.read().under("clusters").matching(GitOpsLayout::isFlatApplication).call();
        if (flat.isEmpty()) {
            return Optional.empty();
        }
        var targets = new java.util.HashSet<String>();
        flat.forEach((path, content) -> target(path, content).ifPresent(targets::add));
        var files = new java.util.HashMap<>(flat);
        files.putAll(writer.read().under("clusters").matching(targets::contains).call());
        Plan plan = plan(files, this::team, scaffold.environmentSpecs(), platform);
        if (plan.empty()) {
            return Optional.empty();
        }
        return transactions.execute(tx -> {
            Optional<ChangeRecord> change = changes.enqueueOnce(plan.changeId(), "Group the Argo CD Applications by team"
                    + " and give each team its AppProject (" + plan.applications() + " applications)", ACTOR, plan.files());
            change.ifPresent(c -> audit.record(ACTOR, "gitops.layout-migrated", "gitops",
                    Map.of("change", c.id().toString(), "applications", Integer.toString(plan.applications()))));
            return change;
        });
    }

    private TeamSpec team(String name) {
        return catalog.teamForSlipway(name).map(scaffold::teamSpec)
                // a team Git knows and the database does not: a project nobody is given access to
                .orElseGet(() -> scaffold.teamSpec(new dev.slipway.portal.catalog.Team(0, name, name, null, Map.of(), null)));
    }

    @Override
    Optional<ChangeRecord> plan() {
        return migrate();
    }
}
