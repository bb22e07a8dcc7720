package dev.slipway.portal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.portal.ApiClient;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.TestCatalog;
import dev.slipway.templates.Yaml;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code dev} follows a service's new images: an ACR push event becomes a commit on local mode's
 * remote (reached by a real push) that pins the image's tag and digest in dev's values, and only
 * there; a late event, a {@code latest} tag or an image of nobody's repository moves nothing.
 */
@PortalTest
class DevFollowsImagesTest {

    @LocalServerPort
    int port;

    @Autowired
    dev.slipway.portal.database.DataDirectory data;

    @Test
    void aPushDeploysTheImageToDevByDigestAndALateEventNeverMovesItBack() throws Exception {
        String name = TestCatalog.uniqueName("followed");
        var created = ApiClient.as(port, "dev-alice").post("/api/v1/services",
                "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"http-service\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String creation = awaitCommitted(ApiClient.json(created).at("/change/id").asString());
        String devValues = "services/payments/" + name + "/dev/values.yaml";
        String testValues = "services/payments/" + name + "/test/values.yaml";
        com.fasterxml.jackson.databind.JsonNode devBefore = Yaml.read(file(creation, devValues));

        String first = "sha256:3f1c" + "0a".repeat(30);
        JsonNode pushed = push(name, first, "1.4.2", "2026-12-01T10:00:00Z");
        assertThat(pushed.path("outcome").asString()).isEqualTo("recorded");
        assertThat(pushed.path("deploys")).hasSize(1);
        String deploy = pushed.path("deploys").get(0).asString();
        String sha = awaitCommitted(deploy);

        RevCommit commit = commit(sha);
        assertThat(commit.getShortMessage()).isEqualTo("Deploy 1.4.2 (sha256:3f1c…) to dev");
        assertThat(commit.getAuthorIdent().getName()).isEqualTo("acr-webhook");
        assertThat(commit.getFooterLines("Slipway-Change-Id")).containsExactly(deploy);
        // dev's values gain the image and keep everything else; test's do not change
        com.fasterxml.jackson.databind.JsonNode devAfter = Yaml.read(file(sha, devValues));
        assertThat(devAfter.at("/image/tag").asText()).isEqualTo("1.4.2");
        assertThat(devAfter.at("/image/digest").asText()).isEqualTo(first);
        var withoutImage = ((com.fasterxml.jackson.databind.node.ObjectNode) devAfter.deepCopy());
        withoutImage.remove("image");
        assertThat(withoutImage).isEqualTo(devBefore);
        assertThat(file(sha, testValues)).isEqualTo(file(creation, testValues));
        assertThat(changedPaths(sha)).containsExactly(devValues);
        assertThat(auditOf(deploy)).containsExactlyInAnyOrder("acr-webhook image.followed", "slipway change.committed");
        // the status reads what the branch asks dev to run as the commit lands
        awaitGitImage(name, "1.4.2", first);

        // late (pushed before what dev has), latest, or a repeat: no deploy
        assertThat(push(name, "sha256:" + "0b".repeat(32), "1.4.1", "2026-12-01T09:00:00Z").path("deploys")).isEmpty();
        assertThat(push(name, "sha256:" + "0c".repeat(32), "latest", "2026-12-01T11:00:00Z").path("deploys")).isEmpty();
        assertThat(push(name, "sha256:" + "0c".repeat(32), "Latest", "2026-12-01T11:00:00Z").path("deploys")).isEmpty();
        // a digest as Microsoft's examples mask it is kept, but no chart could run it
        assertThat(push(name, "sha256:" + "x".repeat(64), "1.4.9", "2026-12-01T11:00:00Z").path("deploys")).isEmpty();
        assertThat(push(name, first, "1.4.2", "2026-12-01T10:00:01Z").path("outcome").asString()).isEqualTo("unchanged");

        // the next release moves dev on, merged into the file as the branch has it now
        String next = "sha256:9a0b" + "0d".repeat(30);
        JsonNode moved = push(name, next, "1.4.3", "2026-12-01T12:00:00Z");
        String nextSha = awaitCommitted(moved.path("deploys").get(0).asString());
        assertThat(commit(nextSha).getShortMessage()).isEqualTo("Deploy 1.4.3 (sha256:9a0b…) to dev");
        assertThat(Yaml.read(file(nextSha, devValues)).at("/image/digest").asText()).isEqualTo(next);
        assertThat(Yaml.read(file(nextSha, devValues)).at("/replicas")).isEqualTo(devBefore.at("/replicas"));
        awaitGitImage(name, "1.4.3", next);
    }

    private void awaitGitImage(String name, String tag, String digest) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        JsonNode dev;
        do {
            var detail = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/services/payments/" + name));
            dev = null;
            for (JsonNode environment : detail.path("environments")) {
                if (environment.path("name").asString().equals("dev")) {
                    dev = environment.path("status").path("git");
                }
            }
            if (dev != null && digest.equals(dev.path("digest").asString())) {
                assertThat(dev.path("tag").asString()).isEqualTo(tag);
                return;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("the status says Git asks dev for " + dev + ", not " + digest);
    }

    @Test
    void anImageOfARepositoryNoServiceHasDeploysNothing() throws Exception {
        JsonNode pushed = AcrEvents.json(AcrEvents.post(port, AcrEvents.event("push.json", "nobodys/" + TestCatalog.uniqueName("x"),
                "sha256:" + "1e".repeat(32), "1.0.0", "2026-12-01T10:00:00Z").toString(), WebhookSecret.LOCAL));
        assertThat(pushed.path("outcome").asString()).isEqualTo("recorded");
        assertThat(pushed.path("deploys")).isEmpty();
    }

    private JsonNode push(String service, String digest, String tag, String at) throws Exception {
        var response = AcrEvents.post(port, AcrEvents.event("push.json", "payments/" + service, digest, tag, at).toString(),
                WebhookSecret.LOCAL);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return AcrEvents.json(response);
    }

    private String awaitCommitted(String changeId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode change;
        do {
            change = ApiClient.json(ApiClient.as(port, "dev-alice").get("/api/v1/changes/" + changeId));
            if (change.path("state").asString().equals("committed")) {
                return change.path("commitSha").asString();
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("change " + changeId + " is still " + change);
    }

    private List<String> auditOf(String changeId) throws Exception {
        var actions = new ArrayList<String>();
        ApiClient.json(ApiClient.as(port, "admin-ada").get("/api/v1/audit?limit=500")).forEach(entry -> {
            if (entry.toString().contains(changeId)) {
                actions.add(entry.path("actor").asString() + " " + entry.path("action").asString());
            }
        });
        return actions;
    }

    private Repository remote() throws Exception {
        return Git.open(data.path().resolve("gitops.git").toFile()).getRepository();
    }

    private RevCommit commit(String sha) throws Exception {
        try (Repository repository = remote(); RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(repository.resolve(sha));
            walk.parseBody(commit);
            return commit;
        }
    }

    private List<String> changedPaths(String sha) throws Exception {
        try (Repository repository = remote(); Git git = new Git(repository); RevWalk walk = new RevWalk(repository);
             var reader = repository.newObjectReader()) {
            RevCommit commit = walk.parseCommit(repository.resolve(sha));
            RevCommit parent = walk.parseCommit(commit.getParent(0));
            return git.diff()
                    .setOldTree(new org.eclipse.jgit.treewalk.CanonicalTreeParser(null, reader, parent.getTree()))
                    .setNewTree(new org.eclipse.jgit.treewalk.CanonicalTreeParser(null, reader, commit.getTree()))
                    .call().stream().map(org.eclipse.jgit.diff.DiffEntry::getNewPath).toList();
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
}
