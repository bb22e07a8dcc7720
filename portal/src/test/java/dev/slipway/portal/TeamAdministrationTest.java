package dev.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Platform admins manage teams; everyone else is refused, and bad input leaves nothing behind. */
@PortalTest
class TeamAdministrationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aPlatformAdminCreatesATeamWithItsEntraGroupAndQuotas() throws Exception {
        String name = TestCatalog.uniqueName("fraud");
        var created = ApiClient.as(port, "admin-ada").post("/api/v1/teams", """
                {"name": "%s", "displayName": "Fraud detection",
                 "entraGroupId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                 "quotas": {"prod": {"requestsCpuMillis": 2000, "requestsMemoryMib": 4096,
                                     "limitsCpuMillis": 4000, "limitsMemoryMib": 8192, "maxPods": 20}}}
                """.formatted(name));
        assertThat(created.statusCode()).isEqualTo(201);
        var team = ApiClient.json(ApiClient.as(port, "dev-carol").get("/api/v1/teams/" + name));
        assertThat(team.path("displayName").asString()).isEqualTo("Fraud detection");
        assertThat(team.path("entraGroupId").asString()).isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        assertThat(team.path("quotas").findValuesAsString("tier")).containsExactly("nonprod", "prod");
        assertThat(team.path("quotas").get(1).path("maxPods").asInt()).isEqualTo(20);
        // the tier not given gets the default quota
        assertThat(team.path("quotas").get(0).path("maxPods").asInt()).isEqualTo(50);
    }

    @Autowired
    dev.slipway.portal.database.DataDirectory data;

    @Test
    void changingATeamsGroupOrQuotaRewritesItsNamespacesAndProjectsInGitInTheSameStepAndIsAudited() throws Exception {
        // search has a service, so its namespace bundles are in Git
        var created = ApiClient.as(port, "dev-carol").post("/api/v1/services",
                "{\"team\": \"search\", \"name\": \"" + TestCatalog.uniqueName("indexer") + "\", \"template\": \"worker\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        awaitCommitted(ApiClient.json(created).at("/change/id").asString());
        var before = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/teams/search"));
        String group = java.util.UUID.randomUUID().toString();
        try {
            var updated = ApiClient.as(port, "admin-ada").put("/api/v1/teams/search", """
                    {"displayName": "Search", "entraGroupId": "%s",
                     "quotas": {"nonprod": {"requestsCpuMillis": 3000, "requestsMemoryMib": 6144,
                                            "limitsCpuMillis": 6000, "limitsMemoryMib": 12288, "maxPods": 77}}}
                    """.formatted(group));
            assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
            String changeId = jdbc.sql("""
                            select id::text from changes where title = 'Update the namespaces and Argo CD projects of team search (access and quotas)'
                            order by requested_at desc limit 1""").query(String.class).single();
            String sha = awaitCommitted(changeId);
            String dev = file(sha, "clusters/nonprod/namespaces/search-dev.yaml");
            assertThat(dev).contains(group).contains("pods: \"77\"");
            assertThat(file(sha, "clusters/prod/namespaces/search-prod.yaml")).contains(group);
            // the team's Argo CD project on each cluster lets the new group, not the old one, see its Applications
            assertThat(file(sha, "clusters/nonprod/projects/search.yaml")).contains(group).contains("search-dev");
            assertThat(file(sha, "clusters/prod/projects/search.yaml")).contains(group);
            var audit = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit?actor=admin-ada&limit=500"));
            var actions = new java.util.ArrayList<String>();
            audit.forEach(entry -> actions.add(entry.path("action").asString() + " " + entry.path("subject").asString()));
            assertThat(actions).contains("team.updated team/search", "team.namespaces-changed team/search");
        } finally {
            // give search back its group and quota (another change, as any edit)
            String original = before.path("entraGroupId").isNull() || before.path("entraGroupId").isMissingNode()
                    ? "null" : "\"" + before.path("entraGroupId").asString() + "\"";
            ApiClient.as(port, "admin-ada").put("/api/v1/teams/search", "{\"displayName\": \"Search\", \"entraGroupId\": "
                    + original + ", \"quotas\": {\"nonprod\": " + before.path("quotas").get(0).toString() + "}}");
        }
    }

    private String awaitCommitted(String changeId) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        tools.jackson.databind.JsonNode change;
        do {
            change = ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/changes/" + changeId));
            if (change.path("state").asString().equals("committed")) {
                return change.path("commitSha").asString();
            }
            Thread.sleep(50);
        } while (java.time.Instant.now().isBefore(deadline));
        throw new AssertionError("change " + changeId + " is still " + change);
    }

    private String file(String sha, String path) throws Exception {
        try (var repository = org.eclipse.jgit.api.Git.open(data.resolve("gitops.git").toFile()).getRepository();
             var walk = new org.eclipse.jgit.revwalk.RevWalk(repository)) {
            var commit = walk.parseCommit(repository.resolve(sha));
            try (var tree = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository, path, commit.getTree())) {
                assertThat(tree).as(path).isNotNull();
                return new String(repository.open(tree.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void developersCannotCreateOrChangeTeams() throws Exception {
        String name = TestCatalog.uniqueName("sneaky");
        var create = ApiClient.as(port, "dev-alice").post("/api/v1/teams",
                "{\"name\": \"" + name + "\", \"displayName\": \"Sneaky\"}");
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(ApiClient.json(create).path("detail").asString()).contains("platform-admin");
        assertThat(teamCount(name)).isZero();

        var change = ApiClient.as(port, "dev-alice").put("/api/v1/teams/payments", "{\"displayName\": \"Mine now\"}");
        assertThat(change.statusCode()).isEqualTo(403);
        assertThat(ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/teams/payments"))
                .path("displayName").asString()).isEqualTo("Payments");
    }

    @Test
    void invalidTeamNamesAre422NamingTheFieldAndWriteNothing() throws Exception {
        for (String bad : new String[] {"Payments", "pay_ments", "-lead", "trail-", "a.b", "x".repeat(64), ""}) {
            var response = ApiClient.as(port, "admin-ada").post("/api/v1/teams",
                    "{\"name\": \"" + bad + "\", \"displayName\": \"Bad\"}");
            assertThat(response.statusCode()).as(bad).isEqualTo(422);
            assertThat(ApiClient.json(response).path("errors").get(0).path("field").asString()).isEqualTo("name");
            assertThat(teamCount(bad)).isZero();
        }
    }

    @Test
    void quotasWhoseLimitsAreBelowTheirRequestsAreRefusedWithoutAPartialTeam() throws Exception {
        String name = TestCatalog.uniqueName("halfway");
        var response = ApiClient.as(port, "admin-ada").post("/api/v1/teams", """
                {"name": "%s", "displayName": "Halfway",
                 "quotas": {"nonprod": {"requestsCpuMillis": 4000, "requestsMemoryMib": 4096,
                                        "limitsCpuMillis": 1000, "limitsMemoryMib": 8192, "maxPods": 5}}}
                """.formatted(name));
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(ApiClient.json(response).path("errors").get(0).path("field").asString()).isEqualTo("quotas.nonprod");
        assertThat(teamCount(name)).isZero();

        var unknownTier = ApiClient.as(port, "admin-ada").post("/api/v1/teams", """
                {"name": "%s", "displayName": "Halfway", "quotas": {"staging": {}}}""".formatted(name));
        assertThat(unknownTier.statusCode()).isEqualTo(422);
        assertThat(ApiClient.json(unknownTier).path("errors").get(0).path("field").asString()).isEqualTo("quotas.staging");
    }

    @Test
    void aSecondTeamWithTheSameNameIsAConflict() throws Exception {
        var response = ApiClient.as(port, "admin-ada").post("/api/v1/teams",
                "{\"name\": \"payments\", \"displayName\": \"Payments again\"}");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/teams/payments"))
                .path("displayName").asString()).isEqualTo("Payments");
    }

    @Test
    void malformedJsonIsA400Problem() throws Exception {
        var response = ApiClient.as(port, "admin-ada").post("/api/v1/teams", "{\"name\": ");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.slipway");
    }

    private int teamCount(String name) {
        return jdbc.sql("select count(*) from teams where name = ?").param(name).query(Integer.class).single();
    }
}
