package dev.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Creating a service over the API: one row, one change, one commit with its change id, one audit entry. */
@PortalTest
class ServiceCreationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    dev.slipway.portal.database.DataDirectory data;

    Path dataDir;

    @org.junit.jupiter.api.BeforeEach
    void dataDirectory() {
        dataDir = data.path();
    }

    @Test
    void aDeveloperCreatesAServiceAndItsFilesAreCommittedOnceWithItsChangeId() throws Exception {
        String name = TestCatalog.uniqueName("orders");
        var response = ApiClient.as(port, "dev-alice").post("/api/v1/services", """
                {"team": "payments", "name": "%s", "template": "http-service", "description": "Takes orders"}"""
                .formatted(name));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode created = ApiClient.json(response);
        assertThat(created.at("/service/name").asString()).isEqualTo(name);
        String changeId = created.at("/change/id").asString();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/changes/" + changeId);

        JsonNode change = awaitChange(changeId, "committed");
        String sha = change.path("commitSha").asString();
        RevCommit commit = commit(sha);
        assertThat(commit.getFooterLines("Slipway-Change-Id")).containsExactly(changeId);
        assertThat(file(sha, "services/payments/" + name + "/service.yaml")).contains("Takes orders");
        assertThat(file(sha, "clusters/prod/apps/payments/" + name + "-prod.yaml")).contains("kind: \"Application\"");
        assertThat(file(sha, "clusters/nonprod/namespaces/payments-dev.yaml")).contains("kind: \"ResourceQuota\"");
        assertThat(commitsCarrying(changeId)).isEqualTo(1);

        assertThat(ApiClient.as(port, "qa-quinn").get("/api/v1/services/payments/" + name).statusCode()).isEqualTo(200);
        var audit = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit?limit=500"));
        var actions = new ArrayList<String>();
        audit.forEach(entry -> {
            if (entry.toString().contains(changeId)) {
                actions.add(entry.path("actor").asString() + " " + entry.path("action").asString());
            }
        });
        assertThat(actions).containsExactlyInAnyOrder("dev-alice service.created", "slipway change.committed");
        assertThat(ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit/verify")).path("intact").asBoolean())
                .isTrue();
    }

    @Test
    void aBurstOfCreationsIsCommittedInBatchesAndEachIsAuditedOnceInAnIntactChain() throws Exception {
        var changeIds = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                pool.submit(() -> {
                    String body = "{\"team\": \"payments\", \"name\": \"" + TestCatalog.uniqueName("burst")
                            + "\", \"template\": \"worker\"}";
                    var response = ApiClient.as(port, "dev-alice").post("/api/v1/services", body);
                    // a portal at capacity answers 429 with Retry-After: a client comes back then
                    while (response.statusCode() == 429) {
                        Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()));
                        response = ApiClient.as(port, "dev-alice").post("/api/v1/services", body);
                    }
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                    changeIds.add(ApiClient.json(response).at("/change/id").asString());
                    return null;
                });
            }
        }
        assertThat(changeIds).hasSize(16);
        var shas = new java.util.HashSet<String>();
        for (String changeId : changeIds) {
            shas.add(awaitChange(changeId, "committed").path("commitSha").asString());
            assertThat(commitsCarrying(changeId)).isEqualTo(1);
        }
        assertThat(shas).hasSize(16);

        var audit = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit?limit=500"));
        for (String changeId : changeIds) {
            var committed = new ArrayList<String>();
            audit.forEach(entry -> {
                if (entry.path("subject").asString().equals("change/" + changeId)) {
                    committed.add(entry.path("action").asString() + " " + entry.at("/details/commit").asString());
                }
            });
            assertThat(committed).as(changeId).hasSize(1).allMatch(a -> a.startsWith("change.committed "));
        }
        assertThat(ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit/verify")).path("intact").asBoolean())
                .isTrue();
    }

    @Test
    void badRequestsAreRefusedAndWriteNeitherARowNorACommit() throws Exception {
        String taken = TestCatalog.uniqueName("taken");
        var first = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + taken + "\", \"template\": \"worker\"}");
        awaitChange(ApiClient.json(first).at("/change/id").asString(), "committed");
        int services = count("services");
        int changes = count("changes");
        String head = head();

        assertProblem(ApiClient.as(port, "dev-bob").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + taken + "\", \"template\": \"worker\"}"), 409, null);
        assertProblem(ApiClient.as(port, "dev-carol").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"intruder\", \"template\": \"worker\"}"), 403, null);
        assertProblem(ApiClient.as(port, "qa-quinn").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"by-qa\", \"template\": \"worker\"}"), 403, null);
        assertProblem(ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"ghost\", \"template\": \"no-such-template\"}"), 404, null);
        assertProblem(ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"no-such-team\", \"name\": \"ghost\", \"template\": \"worker\"}"), 404, null);
        assertProblem(ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"ok-name\", \"template\": \"worker\", \"parameters\": {\"replicas\": 0}}"),
                422, "parameters.replicas");
        assertProblem(ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"Not_A_Name\", \"template\": \"worker\"}"), 422, "name");

        Thread.sleep(300);
        assertThat(count("services")).isEqualTo(services);
        assertThat(count("changes")).isEqualTo(changes);
        assertThat(head()).isEqualTo(head);
    }

    @Test
    void whileTheRemoteIsDownAChangeWaitsWithTheReasonAndLandsWhenItReturns() throws Exception {
        Path remote = dataDir.resolve("gitops.git");
        Path away = dataDir.resolve("gitops.git.away");
        Files.move(remote, away);
        String changeId;
        try {
            var response = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                    "{\"team\": \"payments\", \"name\": \"" + TestCatalog.uniqueName("patient") + "\", \"template\": \"cron-job\"}");
            assertThat(response.statusCode()).isEqualTo(202);
            changeId = ApiClient.json(response).at("/change/id").asString();
            JsonNode waiting = awaitLastError(changeId);
            assertThat(waiting.path("state").asString()).isEqualTo("pending");
        } finally {
            Files.move(away, remote);
        }
        awaitChange(changeId, "committed");
        assertThat(commitsCarrying(changeId)).isEqualTo(1);
    }

    @Test
    void twoServicesThatWouldShareAnArgoCdApplicationCannotBothExist() throws Exception {
        jdbc.sql("""
                        insert into teams (name, display_name, entra_group_id)
                        values ('pay', 'Pay', '7e57a11c-0000-4000-8000-000000000001'),
                               ('pay-ments', 'Pay ments', '7e57a11c-0000-4000-8000-000000000002')
                        on conflict do nothing""").update();
        String suffix = "s" + TestCatalog.uniqueName("x").substring(2);
        // pay/ments-<s> and pay-ments/<s> would both be Application pay-ments-<s>-<env>
        var first = ApiClient.as(port, "dev-dana").post("/api/v1/services",
                "{\"team\": \"pay\", \"name\": \"ments-" + suffix + "\", \"template\": \"worker\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        int services = count("services");
        int changes = count("changes");
        var second = ApiClient.as(port, "dev-dana").post("/api/v1/services",
                "{\"team\": \"pay-ments\", \"name\": \"" + suffix + "\", \"template\": \"worker\"}");
        assertProblem(second, 409, null);
        assertThat(ApiClient.json(second).path("detail").asString()).contains("pay-ments-" + suffix + "-<environment>");
        assertThat(count("services")).isEqualTo(services);
        assertThat(count("changes")).isEqualTo(changes);
        // the first one's files and names are its own
        String sha = awaitChange(ApiClient.json(first).at("/change/id").asString(), "committed").path("commitSha").asString();
        assertThat(file(sha, "clusters/nonprod/apps/pay/ments-" + suffix + "-dev.yaml")).contains("slipway.dev/team: \"pay\"");
        // in the project of its own team, which the same commit brings
        assertThat(file(sha, "clusters/nonprod/apps/pay/ments-" + suffix + "-dev.yaml")).contains("project: \"team-pay\"");
        assertThat(file(sha, "clusters/nonprod/projects/pay.yaml")).contains("name: \"team-pay\"").contains("pay-dev");
    }

    @Test
    void theAuditLogIsAppendOnlyAndTamperingIsDetected() throws Exception {
        var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + TestCatalog.uniqueName("audited") + "\", \"template\": \"worker\"}");
        assertThat(created.statusCode()).isEqualTo(202);
        try {
            jdbc.sql("update audit_entries set actor = 'mallory'").update();
            throw new AssertionError("the audit log accepted an update");
        } catch (org.springframework.dao.DataAccessException refused) {
            assertThat(refused.getMessage()).contains("append-only");
        }
        assertThat(ApiClient.as(port, "dev-alice").get("/api/v1/audit").statusCode()).isEqualTo(403);

        long seq = jdbc.sql("select max(seq) from audit_entries").query(Long.class).single();
        String actor = jdbc.sql("select actor from audit_entries where seq = ?").param(seq).query(String.class).single();
        jdbc.sql("alter table audit_entries disable trigger audit_entries_no_update").update();
        try {
            jdbc.sql("update audit_entries set actor = 'mallory' where seq = ?").param(seq).update();
            JsonNode verdict = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit/verify"));
            assertThat(verdict.path("intact").asBoolean()).isFalse();
            assertThat(verdict.path("firstBrokenSeq").asLong()).isEqualTo(seq);
        } finally {
            jdbc.sql("update audit_entries set actor = ? where seq = ?").params(actor, seq).update();
            jdbc.sql("alter table audit_entries enable trigger audit_entries_no_update").update();
        }
    }

    private void assertProblem(java.net.http.HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        if (field != null) {
            assertThat(ApiClient.json(response).path("errors").findValuesAsString("field")).contains(field);
        }
    }

    private JsonNode awaitChange(String id, String state) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode change;
        do {
            change = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/changes/" + id));
            if (change.path("state").asString().equals(state)) {
                return change;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("change " + id + " is still " + change);
    }

    private JsonNode awaitLastError(String id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        JsonNode change;
        do {
            change = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/changes/" + id));
            if (!change.path("lastError").isMissingNode() && !change.path("lastError").isNull()) {
                return change;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("change " + id + " shows no error: " + change);
    }

    private int count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Integer.class).single();
    }

    private Repository remote() throws Exception {
        return Git.open(dataDir.resolve("gitops.git").toFile()).getRepository();
    }

    private String head() throws Exception {
        try (Repository repository = remote()) {
            var ref = repository.exactRef("refs/heads/main");
            return ref == null ? null : ref.getObjectId().name();
        }
    }

    private RevCommit commit(String sha) throws Exception {
        try (Repository repository = remote(); RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(repository.resolve(sha));
            walk.parseBody(commit);
            return commit;
        }
    }

    private String file(String sha, String path) throws Exception {
        try (Repository repository = remote(); RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(repository.resolve(sha));
            try (TreeWalk tree = TreeWalk.forPath(repository, path, commit.getTree())) {
                assertThat(tree).as(path).isNotNull();
                return new String(repository.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private int commitsCarrying(String changeId) throws Exception {
        try (Git git = Git.open(dataDir.resolve("gitops.git").toFile())) {
            int count = 0;
            for (RevCommit commit : git.log().add(git.getRepository().resolve("refs/heads/main")).call()) {
                if (commit.getFooterLines("Slipway-Change-Id").contains(changeId)) {
                    count++;
                }
            }
            return count;
        }
    }

}
