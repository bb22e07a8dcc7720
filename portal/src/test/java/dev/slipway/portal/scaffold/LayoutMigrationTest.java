package dev.slipway.portal.scaffold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.gitops.testing.ServedRemote;
import dev.slipway.portal.PortalTest;
import dev.slipway.templates.EnvironmentSpec;
import dev.slipway.templates.PlatformSettings;
import dev.slipway.templates.Renderer;
import dev.slipway.templates.ServiceSpec;
import dev.slipway.templates.TeamSpec;
import dev.slipway.templates.TemplateCatalog;
import dev.slipway.templates.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A portal started on a GitOps repository written in the layout before Applications were grouped by
 * team (served over git://, as a hosted remote is reached) moves it by one Change: same Application
 * names, each in its team's AppProject, the old files gone, what Slipway did not write left alone.
 */
@PortalTest
class LayoutMigrationTest {

    static final ServedRemote REMOTE;
    static final Map<String, String> OLD_LAYOUT;
    static final String FOREIGN = "clusters/nonprod/apps/argocd-notifications.yaml";

    static {
        try {
            REMOTE = ServedRemote.create(Files.createTempDirectory("slipway-old-layout").resolve("gitops.git"));
            OLD_LAYOUT = oldLayout();
            seed(REMOTE, OLD_LAYOUT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void remote(DynamicPropertyRegistry registry) {
        registry.add("slipway.gitops.remote", REMOTE::uri);
    }

    @AfterAll
    static void stopServing() {
        REMOTE.close();
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LayoutMigration migration;

    @Test
    void anOldLayoutIsMovedByOneChangeAtStartUpKeepingEveryApplicationsName() throws Exception {
        String changeId = awaitCommitted();
        Map<String, String> after;
        RevCommit tip;
        try (Repository repository = REMOTE.open(); RevWalk walk = new RevWalk(repository)) {
            // one commit, the change's, on top of the old layout; the chart's publication (local mode's
            // other start-up change) may land before or after it
            var above = new java.util.ArrayList<RevCommit>();
            RevCommit commit = walk.parseCommit(repository.resolve("refs/heads/main"));
            while (!commit.getShortMessage().equals("An old layout")) {
                assertThat(commit.getParentCount()).isEqualTo(1);
                above.add(commit);
                commit = walk.parseCommit(commit.getParent(0));
            }
            tip = above.stream().filter(c -> c.getFullMessage().contains("Slipway-Change-Id: " + changeId)).findFirst()
                    .orElseThrow();
            assertThat(above).hasSizeBetween(1, 2).allSatisfy(c -> assertThat(c == tip
                    || c.getShortMessage().startsWith("Publish chart microservice")).isTrue());
            after = files(repository, tip);
        }

        // nothing left in the flat directory but what Slipway did not write
        assertThat(after.keySet().stream().filter(p -> p.matches("clusters/[^/]+/apps/[^/]+\\.yaml")))
                .containsExactly(FOREIGN);
        assertThat(after.get(FOREIGN)).isEqualTo(OLD_LAYOUT.get(FOREIGN));
        // every Application Argo CD knew is still there, once, under its name, in its team's project
        assertThat(applicationNames(after)).isEqualTo(applicationNames(OLD_LAYOUT));
        String checkout = after.get("clusters/prod/apps/payments/checkout-prod.yaml");
        assertThat(Yaml.read(checkout).at("/metadata/name").asText()).isEqualTo("payments-checkout-prod");
        assertThat(Yaml.read(checkout).at("/spec/project").asText()).isEqualTo("team-payments");
        assertThat(Yaml.read(after.get("clusters/nonprod/apps/legacy/billing-dev.yaml")).at("/spec/project").asText())
                .isEqualTo("team-legacy");
        // the projects come in the same commit, on each cluster the team deploys to
        assertThat(after).containsKeys("clusters/nonprod/projects/payments.yaml", "clusters/prod/projects/payments.yaml",
                "clusters/nonprod/projects/legacy.yaml");
        // payments is a team of this portal: its project names its group; legacy's (unknown here) names none
        assertThat(after.get("clusters/nonprod/projects/payments.yaml")).contains("payments-dev", "payments-test")
                .contains("groups");
        assertThat(after.get("clusters/nonprod/projects/legacy.yaml")).contains("legacy-dev").doesNotContain("groups");
        // the namespace bundles stay as they were
        assertThat(after.get("clusters/nonprod/namespaces/payments-dev.yaml"))
                .isEqualTo(OLD_LAYOUT.get("clusters/nonprod/namespaces/payments-dev.yaml"));

        assertThat(jdbc.sql("select count(*) from audit_entries where action = 'gitops.layout-migrated'")
                .query(Integer.class).single()).isEqualTo(1);
        // started again (or a second replica), nothing more to move
        assertThat(migration.migrate()).isEmpty();
        assertThat(jdbc.sql("select count(*) from changes where requested_by = 'slipway' and title like 'Group the Argo CD%'")
                .query(Integer.class).single()).isEqualTo(1);
    }

    private String awaitCommitted() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            var done = jdbc.sql("""
                            select id::text from changes where requested_by = 'slipway' and state = 'committed'
                            and title like 'Group the Argo CD%'""")
                    .query(String.class).optional();
            if (done.isPresent()) {
                return done.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no committed layout change: " + jdbc.sql("select title || ' ' || state from changes")
                .query(String.class).list());
    }

    private static Map<String, String> applicationNames(Map<String, String> files) {
        var names = new TreeMap<String, String>();
        files.forEach((path, content) -> {
            if (path.contains("/apps/") && !path.equals(FOREIGN)) {
                String name = Yaml.read(content).at("/metadata/name").asText();
                assertThat(names.put(name, path)).as("application %s twice", name).isNull();
            }
        });
        names.replaceAll((name, path) -> path.split("/")[1]); // by cluster
        return names;
    }

    /** What the renderer wrote before: Applications in one directory per cluster, in project default. */
    private static Map<String, String> oldLayout() {
        var platform = new PlatformSettings("slipwaylocal.azurecr.io", List.of(), "apps.slipway.localhost", "ingress-nginx",
                "http://localhost:8080/git/gitops.git", "main", "http://localhost:8080/git/gitops.git", "charts/microservice",
                "main", "argocd", Map.of(), null, "00000000-0000-0000-0000-000000000000");
        var environments = List.of(new EnvironmentSpec("dev", "nonprod", false), new EnvironmentSpec("test", "nonprod", false),
                new EnvironmentSpec("prod", "prod", true));
        var quota = new TeamSpec.Quota(2000, 4096, 4000, 8192, 50);
        var renderer = new Renderer(platform);
        var files = new LinkedHashMap<String, String>();
        String[][] services = {{"payments", "checkout", "http-service"}, {"payments", "ledger", "worker"},
                {"legacy", "billing", "worker"}};
        for (String[] service : services) {
            var team = new TeamSpec(service[0], null, quota, quota);
            renderer.render(TemplateCatalog.builtIn().find(service[2]).orElseThrow(), null,
                    new ServiceSpec(service[0], service[1], ""), team, environments, true).changeSet().files()
                    .forEach(file -> {
                        if (file.path().contains("/projects/")) {
                            return; // there were none
                        }
                        var app = file.path().matches("clusters/([^/]+)/apps/([^/]+)/([^/]+)\\.yaml");
                        if (!app) {
                            files.put(file.path(), file.content());
                            return;
                        }
                        String[] parts = file.path().split("/");
                        ObjectNode application = (ObjectNode) Yaml.read(file.content());
                        ((ObjectNode) application.get("spec")).put("project", "default");
                        // clusters/<cluster>/apps/<team>/<service>-<env>.yaml was clusters/<cluster>/apps/<team>-<service>-<env>.yaml
                        files.put("clusters/" + parts[1] + "/apps/" + parts[3] + "-" + parts[4], Yaml.write(application));
                    });
        }
        // an operator's own file in the same directory, not Slipway's
        files.put(FOREIGN, Yaml.write(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "argocd-notifications-cm", "namespace", "argocd"))));
        return files;
    }

    private static void seed(ServedRemote remote, Map<String, String> files) throws IOException {
        try (Repository repository = remote.open(); ObjectInserter inserter = repository.newObjectInserter()) {
            DirCache index = DirCache.newInCore();
            DirCacheEditor editor = index.editor();
            for (var file : files.entrySet()) {
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8));
                editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                    }
                });
            }
            editor.finish();
            var commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            var who = new PersonIdent("Slipway", "slipway@localhost");
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("An old layout\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            var update = repository.updateRef("refs/heads/main");
            update.setNewObjectId(id);
            update.update();
        }
    }

    private static Map<String, String> files(Repository repository, RevCommit commit) throws IOException {
        var files = new TreeMap<String, String>();
        try (TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                files.put(tree.getPathString(), new String(repository.open(tree.getObjectId(0)).getBytes(),
                        StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
