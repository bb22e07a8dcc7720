package dev.slipway.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.gitops.pullrequest.PullRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import dev.slipway.gitops.testing.ServedRemote;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer against real Git repositories: a bare remote served over git:// (a real receive-pack
 * with fsck and a pre-receive hook, as Azure DevOps or GitHub answer), warm clones, many writers.
 */
class GitOpsWriterTest {

    @TempDir
    Path temp;

    Path remote;
    ServedRemote served;

    @BeforeEach
    void servedRemote() {
        remote = temp.resolve("gitops.git");
        served = ServedRemote.create(remote);
    }

    @AfterEach
    void stopServing() {
        served.close();
    }

    @Test
    void commitsAChangeWithItsChangeIdToAnEmptyRemote() throws Exception {
        try (var writer = writer("one")) {
            Change change = change("services/payments/checkout/service.yaml", "name: checkout\n");
            Outcome outcome = commit(writer, change);
            assertThat(outcome).isInstanceOf(Outcome.Committed.class);
            String sha = ((Outcome.Committed) outcome).commitSha();
            assertThat(remoteFile("services/payments/checkout/service.yaml")).isEqualTo("name: checkout\n");
            RevCommit commit = remoteCommit(sha);
            assertThat(commit.getFooterLines(Change.TRAILER)).containsExactly(change.id().toString());
            assertThat(commit.getAuthorIdent().getName()).isEqualTo("dev-alice");
            assertThat(remoteHead()).isEqualTo(sha);
        }
    }

    @Test
    void aSnapshotReadsTheTreeOnlyWhenTheBranchMoved() throws Exception {
        try (var writer = writer("one"); var other = writer("two")) {
            assertThat(writer.read().snapshot(null).commit()).isNull();
            String first = ((Outcome.Committed) commit(writer, change("services/a/one/dev/values.yaml", "a: 1\n"))).commitSha();
            var read = writer.read().under("services").snapshot(null);
            assertThat(read.commit()).isEqualTo(first);
            assertThat(read.files()).containsExactly(java.util.Map.entry("services/a/one/dev/values.yaml", "a: 1\n"));

            var again = writer.read().under("services").snapshot(first);
            assertThat(again.unchanged()).isTrue();
            assertThat(again.files()).isEmpty();

            // another writer's commit moves the remote's branch: the next snapshot sees it
            String second = ((Outcome.Committed) commit(other, change("services/a/one/test/values.yaml", "b: 2\n"))).commitSha();
            var moved = writer.read().under("services").snapshot(first);
            assertThat(moved.unchanged()).isFalse();
            assertThat(moved.commit()).isEqualTo(second);
            assertThat(moved.files()).containsOnlyKeys("services/a/one/dev/values.yaml", "services/a/one/test/values.yaml");
        }
    }

    @Test
    void aChangeAlreadyOnTheBranchIsRecognisedEvenByAnotherWriter() throws Exception {
        Change change = change("services/a/b/service.yaml", "x\n");
        String sha;
        try (var writer = writer("first")) {
            sha = ((Outcome.Committed) commit(writer, change)).commitSha();
            assertThat(commit(writer, change)).isEqualTo(new Outcome.Committed(change.id(), sha, true));
        }
        // a restarted portal with a fresh clone: the trailer on the branch is the memory
        try (var writer = writer("second")) {
            assertThat(commit(writer, change)).isEqualTo(new Outcome.Committed(change.id(), sha, true));
        }
        assertThat(commitsWith(change.id())).isEqualTo(1);
    }

    @Test
    void theSameFileChangedDifferentlyIsAConflictAndNothingIsWritten() throws Exception {
        try (var writer = writer("w")) {
            commit(writer, change("services/p/s/values.yaml", "replicas: 2\n"));
            String before = remoteHead();
            Change rival = change("services/p/s/values.yaml", "replicas: 5\n");
            assertThat(commit(writer, rival)).isEqualTo(new Outcome.Conflicting(rival.id(), List.of("services/p/s/values.yaml")));
            assertThat(remoteHead()).isEqualTo(before);
            assertThat(remoteFile("services/p/s/values.yaml")).isEqualTo("replicas: 2\n");

            // the same content again is no conflict; a namespace bundle that exists is left alone
            Change same = new Change(UUID.randomUUID(), "same", "", "dev-bob", "bob@example.com", List.of(
                    new FileWrite("services/p/s/values.yaml", "replicas: 2\n", FileWrite.Mode.CREATE),
                    new FileWrite("services/p/t/values.yaml", "replicas: 1\n", FileWrite.Mode.CREATE)));
            assertThat(commit(writer, same)).isInstanceOf(Outcome.Committed.class);
            Change bundle = new Change(UUID.randomUUID(), "bundle", "", "dev-bob", "", List.of(
                    new FileWrite("services/p/s/values.yaml", "other\n", FileWrite.Mode.CREATE_IF_ABSENT)));
            assertThat(commit(writer, bundle)).isInstanceOf(Outcome.Committed.class);
            assertThat(remoteFile("services/p/s/values.yaml")).isEqualTo("replicas: 2\n");
        }
    }


    @Test
    void aMergeIsAppliedToWhatTheBranchHoldsWhenTheChangeIsCommittedEvenWithinABatch() throws Exception {
        // a line-based merge, enough to see which content it was given: "key: value" lines, the patch's win
        FileMerge lines = (path, current, patch) -> {
            if (current.startsWith("not mergeable")) {
                throw new IllegalArgumentException("not key/value lines");
            }
            var merged = new java.util.TreeMap<String, String>();
            for (String text : List.of(current, patch)) {
                text.lines().map(l -> l.split(": ", 2)).forEach(kv -> merged.put(kv[0], kv[1]));
            }
            var out = new StringBuilder();
            merged.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
            return out.toString();
        };
        try (var writer = new GitOpsWriter(GitOpsWriter.Settings.of(served.uri(), "main", temp.resolve("clone-merge"))
                .withMerge(lines))) {
            commit(writer, change("services/p/s/dev/values.yaml", "replicas: 2\n"));
            commit(writer, change("services/p/s/odd.yaml", "not mergeable\n"));
            // someone else's edit lands after the merges were asked for, before they are committed
            try (var other = writer("other")) {
                commit(other, new Change(UUID.randomUUID(), "scale", "", "dev-bob", "", List.of(
                        new FileWrite("services/p/s/dev/values.yaml", "replicas: 3\n", FileWrite.Mode.REPLACE))));
            }
            Change first = merge("services/p/s/dev/values.yaml", "tag: 1.0.0\n");
            Change second = merge("services/p/s/dev/values.yaml", "tag: 1.0.1\n");
            Change gone = merge("services/p/s/prod/values.yaml", "tag: 1.0.1\n");
            Change odd = merge("services/p/s/odd.yaml", "tag: 1.0.1\n");
            List<Outcome> outcomes = writer.commit().addAll(List.of(first, second, gone, odd)).call();

            assertThat(outcomes.get(0)).isInstanceOf(Outcome.Committed.class);
            assertThat(outcomes.get(1)).isInstanceOf(Outcome.Committed.class);
            assertThat(outcomes.get(2)).isEqualTo(new Outcome.Conflicting(gone.id(), List.of("services/p/s/prod/values.yaml")));
            assertThat(outcomes.get(3)).isEqualTo(new Outcome.Conflicting(odd.id(), List.of("services/p/s/odd.yaml")));
            // the second merge saw the first's commit, and both kept the other writer's replicas
            assertThat(remoteFile("services/p/s/dev/values.yaml")).isEqualTo("replicas: 3\ntag: 1.0.1\n");
            assertThat(remoteFileOrNull("services/p/s/prod/values.yaml")).isNull();
            assertThat(remoteFile("services/p/s/odd.yaml")).isEqualTo("not mergeable\n");

            // the change page's diff of a merge: against the first's parent, what it merged
            List<FileDiff> diff = writer.diff().files(first.files())
                    .writtenAs(((Outcome.Committed) outcomes.get(0)).commitSha()).call();
            assertThat(diff.getFirst().patch()).contains(" replicas: 3", "+tag: 1.0.0");
        }
        // a writer that takes no merges conflicts rather than overwrite
        try (var plain = writer("plain")) {
            Change merge = merge("services/p/s/dev/values.yaml", "tag: 2.0.0\n");
            assertThat(commit(plain, merge)).isInstanceOf(Outcome.Conflicting.class);
        }
    }

    private static Change merge(String path, String patch) {
        return new Change(UUID.randomUUID(), "Deploy " + patch.strip(), "", "acr-webhook", "",
                List.of(new FileWrite(path, patch, FileWrite.Mode.MERGE)));
    }
    @Test
    void manyWritersInParallelWriteEveryChangeExactlyOnce() throws Exception {
        int writers = 3;
        int threadsPerWriter = 4;
        int changesPerThread = 12;
        int perBatch = 3;
        var all = new ArrayList<Change>();
        var futures = new ArrayList<CompletableFuture<Outcome>>();
        List<GitOpsWriter> open = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers * threadsPerWriter);
        try {
            for (int w = 0; w < writers; w++) {
                GitOpsWriter writer = writer("writer-" + w);
                open.add(writer);
                for (int t = 0; t < threadsPerWriter; t++) {
                    var mine = new ArrayList<Change>();
                    for (int c = 0; c < changesPerThread; c++) {
                        mine.add(change("services/team/svc-" + w + "-" + t + "-" + c + "/service.yaml", "n: " + c + "\n"));
                    }
                    all.addAll(mine);
                    futures.add(CompletableFuture.supplyAsync(() -> {
                        Outcome last = null;
                        for (int from = 0; from < mine.size(); from += perBatch) {
                            var outcomes = writer.commit().addAll(mine.subList(from, from + perBatch)).call();
                            assertThat(outcomes).hasSize(perBatch).allMatch(o -> o instanceof Outcome.Committed);
                            last = outcomes.getLast();
                        }
                        return last;
                    }, pool));
                }
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
            open.forEach(GitOpsWriter::close);
        }
        Map<String, Integer> counts = trailerCounts();
        assertThat(counts).hasSize(all.size());
        assertThat(counts.values()).containsOnly(1);
        for (Change change : all) {
            assertThat(remoteFile(change.files().get(0).path())).isEqualTo(change.files().get(0).content());
        }
        // every object the branch reaches is there, and the refused pushes left nothing on the branch
        try (Repository repository = Git.open(remote.toFile()).getRepository();
             var walk = new org.eclipse.jgit.revwalk.ObjectWalk(repository)) {
            walk.markStart(walk.parseCommit(repository.resolve("refs/heads/main")));
            walk.checkConnectivity();
        }
    }

    @Test
    void aRemoteOnThisMachineGetsARealPushToo() throws Exception {
        // local mode's remote: a path, pushed to through JGit's local transport (a receive-pack in process)
        Path local = temp.resolve("local.git");
        Git.init().setBare(true).setDirectory(local.toFile()).setInitialBranch("main").call().close();
        try (var writer = new GitOpsWriter(GitOpsWriter.Settings.of(local.toString(), "main", temp.resolve("clone-local")))) {
            var outcomes = writer.commit().add(change("services/a/one/service.yaml", "one\n"))
                    .add(change("services/a/two/service.yaml", "two\n")).call();
            assertThat(outcomes).hasSize(2).allMatch(o -> o instanceof Outcome.Committed);
            try (Repository repository = Git.open(local.toFile()).getRepository()) {
                assertThat(repository.exactRef("refs/heads/main").getObjectId().name())
                        .isEqualTo(((Outcome.Committed) outcomes.get(1)).commitSha());
                // the branch at the batch's last commit, and the first one's object there too
                assertThat(repository.getObjectDatabase().has(ObjectId.fromString(
                        ((Outcome.Committed) outcomes.get(0)).commitSha()))).isTrue();
            }
        }
    }

    @Test
    void aRefLockLeftOnALocalRemoteByAKilledWriterIsClearedAndTheChangeLands() throws Exception {
        Path local = temp.resolve("killed.git");
        Git.init().setBare(true).setDirectory(local.toFile()).setInitialBranch("main").call().close();
        try (var writer = new GitOpsWriter(GitOpsWriter.Settings.of(local.toString(), "main", temp.resolve("clone-k")))) {
            commit(writer, change("services/a/first/service.yaml", "first\n"));
            // what a portal killed in the middle of the in-process receive-pack's ref update leaves
            Path lock = local.resolve("refs/heads/main.lock");
            Files.writeString(lock, "0000000000000000000000000000000000000000\n");
            Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(Push.STALE_LOCK).minusSeconds(60)));
            Change change = change("services/a/after/service.yaml", "after\n");
            assertThat(commit(writer, change)).isInstanceOf(Outcome.Committed.class);
            assertThat(lock).doesNotExist();
        }
    }

    @Test
    void localModesRemoteIsRepackedBySlipwayWhenIdleNotByEveryPush() throws Exception {
        Path local = temp.resolve("own.git");
        Git.init().setBare(true).setDirectory(local.toFile()).setInitialBranch("main").call().close();
        try (var writer = new GitOpsWriter(GitOpsWriter.Settings.of(local.toString(), "main", temp.resolve("clone-own")))) {
            try (Repository remote = Git.open(local.toFile()).getRepository()) {
                // its receive-pack's auto gc ran in the background of a push, repacking everything mid-burst
                assertThat(remote.getConfig().getBoolean("receive", null, "autogc", true)).isFalse();
                var config = remote.getConfig();
                config.setInt("gc", null, "autopacklimit", 4);
                config.save();
            }
            for (int i = 0; i < 8; i++) {
                commit(writer, change("services/t/s" + i + "/service.yaml", "n: " + i + "\n"));
            }
            assertThat(remotePacks(local)).as("a pack per push, none repacked by the pushes").isGreaterThanOrEqualTo(8);
            writer.maintain();
            try (Repository remote = Git.open(local.toFile()).getRepository();
                 var walk = new org.eclipse.jgit.revwalk.ObjectWalk(remote)) {
                walk.markStart(walk.parseCommit(remote.resolve("refs/heads/main")));
                long reachable = 0;
                while (walk.next() != null) {
                    reachable++;
                }
                while (walk.nextObject() != null) {
                    reachable++;
                }
                long all = reachable;
                // one pack now holds everything the branch reaches, and the ones it replaced are gone
                assertThat(remotePacks(local)).isEqualTo(1);
                try (var indexes = Files.list(local.resolve("objects/pack"))) {
                    assertThat(indexes.filter(f -> f.toString().endsWith(".idx")).map(f -> {
                        try {
                            return org.eclipse.jgit.internal.storage.file.PackIndex.open(f.toFile()).getObjectCount();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })).anyMatch(count -> count >= all);
                }
            }
        }
    }

    @Test
    void onceQuietTheCloneAndLocalRemoteAreRepackedWithDeltasAndAStoppingWriterRepacksNothing() throws Exception {
        Path local = temp.resolve("quiet.git");
        Git.init().setBare(true).setDirectory(local.toFile()).setInitialBranch("main").call().close();
        var clock = new dev.slipway.gitops.testing.MovableClock(java.time.Instant.parse("2026-12-01T12:00:00Z"));
        var settings = new GitOpsWriter.Settings(local.toString(), "main", temp.resolve("clone-quiet"), null, 0, 0, null, clock, null);
        try (var writer = new GitOpsWriter(settings)) {
            // services of one team: every commit rewrites the team's directory, a little different each time
            var values = new StringBuilder();
            for (int line = 0; line < 200; line++) {
                // values that deflate barely shrinks, so that what a repack saves is its deltas
                values.append("key").append(line).append(": ").append(java.util.UUID.nameUUIDFromBytes(("line " + line)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))).append('\n');
            }
            for (int i = 0; i < 40; i++) {
                commit(writer, change("services/team/s" + i + "/values.yaml", values + "service: s" + i + "\n"));
            }
            long cloneBefore = packBytes(temp.resolve("clone-quiet"));
            long remoteBefore = packBytes(local);
            assertThat(remotePacks(local)).isGreaterThanOrEqualTo(40);

            // idle but not yet quiet: under git's gc.auto limits, nothing is repacked
            writer.maintain();
            assertThat(remotePacks(local)).isGreaterThanOrEqualTo(40);
            clock.advance(CloneMaintenance.QUIET);
            writer.maintain();
            assertThat(remotePacks(local)).isEqualTo(1);
            assertThat(remotePacks(temp.resolve("clone-quiet"))).isEqualTo(1);
            // whole objects found their deltas: JGit's default repack kept them whole, about as large as before
            assertThat(packBytes(local)).isLessThan(remoteBefore / 4);
            assertThat(packBytes(temp.resolve("clone-quiet"))).isLessThan(cloneBefore / 4);

            commit(writer, change("services/team/late/values.yaml", values + "service: late\n"));
            clock.advance(CloneMaintenance.QUIET);
            writer.stopMaintenance();
            writer.maintain();
            assertThat(remotePacks(local)).as("a stopping writer repacks nothing").isEqualTo(2);
        }
    }

    private static long packBytes(Path gitDir) throws java.io.IOException {
        try (var packs = Files.list(gitDir.resolve("objects/pack"))) {
            return packs.filter(p -> p.toString().endsWith(".pack")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The pack files of a repository's object directory. */
    private static int remotePacks(Path gitDir) throws java.io.IOException {
        try (var packs = Files.list(gitDir.resolve("objects/pack"))) {
            return (int) packs.filter(p -> p.toString().endsWith(".pack")).count();
        }
    }

    @Test
    void aPushTheRemoteDeclinesIsRejectedOnceWithTheRemotesOwnMessage() throws Exception {
        try (var writer = writer("protected")) {
            commit(writer, change("services/a/first/service.yaml", "first\n"));
            String before = remoteHead();
            int pushesBefore = served.pushes();
            served.refuse((command, commits) -> "protected branch: changes to main need a review");
            Change change = change("services/a/b/service.yaml", "b\n");
            assertThat(commit(writer, change)).isEqualTo(new Outcome.Rejected(change.id(),
                    "the remote refused the push: protected branch: changes to main need a review"));
            // final: one push, not retried
            assertThat(served.pushes()).isEqualTo(pushesBefore + 1);
            assertThat(remoteHead()).isEqualTo(before);
        }
    }

    @Test
    void aRefusedBatchGivesEachChangeItsOwnAnswer() throws Exception {
        try (var writer = writer("hook")) {
            served.refuse((command, commits) -> commits.stream().anyMatch(c -> c.getShortMessage().contains("oversized"))
                    ? "pre-receive hook declined: file too large" : null);
            Change first = change("services/a/one/service.yaml", "one\n");
            Change bad = change("services/a/oversized/service.yaml", "big\n");
            Change last = change("services/a/three/service.yaml", "three\n");
            var outcomes = writer.commit().add(first).add(bad).add(last).call();
            assertThat(outcomes.get(0)).isInstanceOf(Outcome.Committed.class);
            assertThat(outcomes.get(1)).isEqualTo(new Outcome.Rejected(bad.id(),
                    "the remote refused the push: pre-receive hook declined: file too large"));
            assertThat(outcomes.get(2)).isInstanceOf(Outcome.Committed.class);
            assertThat(remoteFile("services/a/one/service.yaml")).isEqualTo("one\n");
            assertThat(remoteFile("services/a/three/service.yaml")).isEqualTo("three\n");
            assertThat(remoteFileOrNull("services/a/oversized/service.yaml")).isNull();
            assertThat(trailerCounts()).containsOnlyKeys(first.id().toString(), last.id().toString());
        }
    }

    @Test
    void theRemotesAnswersAreSortedIntoMovedAndRefused() {
        for (String moved : List.of("failed to lock", "lock error: refs/heads/main", "cannot lock ref 'refs/heads/main'",
                "failed to update ref", "ref exists")) {
            assertThat(Push.sort(org.eclipse.jgit.transport.RemoteRefUpdate.Status.REJECTED_OTHER_REASON, moved))
                    .as(moved).isInstanceOf(Push.Result.BranchMoved.class);
        }
        for (String refused : List.of("pre-receive hook declined", "protected branch hook declined",
                "GH006: Protected branch update failed for refs/heads/main.", "pack exceeds maximum allowed size",
                // a hook's own words are not a moved branch, even when they hold "lock" or "exists"
                "push blocked: a secret exists in services/a/values.yaml")) {
            assertThat(Push.sort(org.eclipse.jgit.transport.RemoteRefUpdate.Status.REJECTED_OTHER_REASON, refused))
                    .as(refused).isEqualTo(new Push.Result.Refused(refused));
        }
        assertThat(Push.sort(org.eclipse.jgit.transport.RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD, null))
                .isInstanceOf(Push.Result.BranchMoved.class);
    }

    @Test
    void aProposalThatLostTheRaceForItsBranchTakesTheBranchThatWon() throws Exception {
        try (var first = writer("first"); var second = writer("second")) {
            commit(first, change("services/base.yaml", "base\n"));
            Change change = change("services/payments/checkout/prod/values.yaml", "digest: sha256:abc\n");
            var opened = (Outcome.PullRequestOpened) first.propose().change(change)
                    .through(new LocalPullRequests(first, branch -> branch)).call();
            // the second replica fetched a moment before the first pushed the change's branch
            served.hideFromNextFetch("refs/heads/slipway/");
            Outcome again = second.propose().change(change).through(new LocalPullRequests(second, branch -> branch)).call();
            assertThat(again).isEqualTo(opened);
            try (Repository repository = served.open()) {
                assertThat(repository.exactRef("refs/heads/" + opened.branch()).getObjectId().name())
                        .isEqualTo(opened.commitSha());
            }
        }
    }

    @Test
    void aChangesFilesAreShownAsADiffAgainstTheBranchBeforeAndAfterItIsWritten() throws Exception {
        try (var writer = writer("diff")) {
            commit(writer, change("services/p/s/values.yaml", "replicas: 2\nport: 8080\n"));
            var files = List.of(new FileWrite("services/p/s/values.yaml", "replicas: 3\nport: 8080\n", FileWrite.Mode.REPLACE),
                    new FileWrite("services/p/s/dev/values.yaml", "image: a\n", FileWrite.Mode.CREATE));
            List<FileDiff> pending = writer.diff().files(files).call();
            assertThat(pending).extracting(FileDiff::kind).containsExactly(FileDiff.Kind.MODIFIED, FileDiff.Kind.ADDED);
            assertThat(pending.get(0).patch()).contains("--- a/services/p/s/values.yaml", "+++ b/services/p/s/values.yaml",
                    "-replicas: 2", "+replicas: 3", " port: 8080");
            assertThat(pending.get(1).patch()).startsWith("--- /dev/null\n+++ b/services/p/s/dev/values.yaml").contains("+image: a");

            var written = (Outcome.Committed) commit(writer, new Change(UUID.randomUUID(), "scale", "", "a", "", files));
            // once written the branch holds the files: the diff is against what it held just before
            assertThat(writer.diff().files(files).writtenAs(written.commitSha()).call()).isEqualTo(pending);
            assertThat(writer.diff().files(files).call()).extracting(FileDiff::kind)
                    .containsOnly(FileDiff.Kind.UNCHANGED);
        }
    }

    @Test
    void anUnreachableRemoteIsAPassingFailureAndTheChangeLandsWhenItReturns() throws Exception {
        Path missing = temp.resolve("not-yet.git");
        try (var writer = new GitOpsWriter(GitOpsWriter.Settings.of(missing.toUri().toString(), "main", temp.resolve("clone-m")))) {
            Change change = change("services/a/b/c.yaml", "x\n");
            assertThatThrownBy(() -> commit(writer, change)).isInstanceOf(GitOpsUnavailableException.class);
            Git.init().setBare(true).setDirectory(missing.toFile()).setInitialBranch("main").call().close();
            assertThat(commit(writer, change)).isInstanceOf(Outcome.Committed.class);
        }
    }

    @Test
    void aProposedChangeBecomesALocalPullRequestThatSlipwayMerges() throws Exception {
        try (var writer = writer("pr")) {
            commit(writer, change("services/base.yaml", "base\n"));
            var pulls = new LocalPullRequests(writer, branch -> "/pull-requests/" + branch);
            Change change = change("services/payments/checkout/prod/values.yaml", "digest: sha256:abc\n");
            Outcome.PullRequestOpened opened = (Outcome.PullRequestOpened) writer.propose().change(change).through(pulls).call();
            assertThat(opened.branch()).isEqualTo("slipway/change-" + change.id());
            assertThat(opened.url()).isEqualTo("/pull-requests/slipway/change-" + change.id());
            assertThat(pulls.get(opened.pullRequestId()).state()).isEqualTo(PullRequest.State.OPEN);
            assertThat(remoteFileOrNull("services/payments/checkout/prod/values.yaml")).isNull();

            // a retried proposal finds the same branch and pull request
            assertThat(writer.propose().change(change).through(pulls).call()).isEqualTo(opened);

            commit(writer, change("services/other.yaml", "meanwhile\n"));
            PullRequest merged = pulls.merge(opened.pullRequestId());
            assertThat(merged.state()).isEqualTo(PullRequest.State.MERGED);
            assertThat(merged.mergeCommitSha()).isEqualTo(remoteHead());
            assertThat(remoteFile("services/payments/checkout/prod/values.yaml")).isEqualTo("digest: sha256:abc\n");
            assertThat(remoteFile("services/other.yaml")).isEqualTo("meanwhile\n");
            assertThat(pulls.merge(opened.pullRequestId()).state()).isEqualTo(PullRequest.State.MERGED);
            // its branch is gone, as a hosted provider deletes it; the target's commit still says it was merged
            try (Repository repository = Git.open(remote.toFile()).getRepository()) {
                assertThat(repository.exactRef("refs/heads/" + opened.branch())).isNull();
            }
            assertThat(pulls.get(opened.pullRequestId()).state()).isEqualTo(PullRequest.State.MERGED);
            assertThat(pulls.states(List.of(opened.pullRequestId())).get(opened.pullRequestId()).state())
                    .isEqualTo(PullRequest.State.MERGED);
        }
    }

    @Test
    void aClosedLocalPullRequestLosesItsBranchAndIsNeverMerged() throws Exception {
        try (var writer = writer("close")) {
            commit(writer, change("services/base.yaml", "base\n"));
            var pulls = new LocalPullRequests(writer, branch -> branch);
            Change change = change("services/p/s/prod/values.yaml", "digest: sha256:abc\n");
            var opened = (Outcome.PullRequestOpened) writer.propose().change(change).through(pulls).call();

            assertThat(pulls.close(opened.pullRequestId(), "Superseded by a newer promotion").state())
                    .isEqualTo(PullRequest.State.CLOSED);
            try (Repository repository = Git.open(remote.toFile()).getRepository()) {
                assertThat(repository.exactRef("refs/heads/" + opened.branch())).isNull();
            }
            assertThat(pulls.close(opened.pullRequestId(), "again").state()).isEqualTo(PullRequest.State.CLOSED);
            assertThatThrownBy(() -> pulls.merge(opened.pullRequestId())).hasMessageContaining("closed");
            assertThat(remoteFileOrNull("services/p/s/prod/values.yaml")).isNull();
        }
    }

    @Test
    void aMergedLocalPullRequestSaysWhoMergedIt() throws Exception {
        try (var writer = writer("merged-by")) {
            commit(writer, change("services/base.yaml", "base\n"));
            var pulls = new LocalPullRequests(writer, branch -> branch);
            var opened = (Outcome.PullRequestOpened) writer.propose()
                    .change(change("services/p/s/prod/values.yaml", "digest: sha256:abc\n")).through(pulls).call();
            PullRequest merged = pulls.merge(opened.pullRequestId());
            assertThat(merged.mergedBy()).isNotBlank();
            assertThat(pulls.close(opened.pullRequestId(), "too late").state()).isEqualTo(PullRequest.State.MERGED);
        }
    }

    @Test
    void aPullRequestWhoseFilesChangedOnTheTargetIsConflicting() throws Exception {
        try (var writer = writer("conflict")) {
            commit(writer, new Change(UUID.randomUUID(), "start", "", "a", "", List.of(
                    new FileWrite("services/p/s/prod/values.yaml", "digest: one\n", FileWrite.Mode.CREATE))));
            var pulls = new LocalPullRequests(writer, branch -> branch);
            Change promote = new Change(UUID.randomUUID(), "promote", "", "a", "", List.of(
                    new FileWrite("services/p/s/prod/values.yaml", "digest: two\n", FileWrite.Mode.REPLACE)));
            var opened = (Outcome.PullRequestOpened) writer.propose().change(promote).through(pulls).call();
            commit(writer, new Change(UUID.randomUUID(), "hotfix", "", "a", "", List.of(
                    new FileWrite("services/p/s/prod/values.yaml", "digest: three\n", FileWrite.Mode.REPLACE))));
            assertThat(pulls.get(opened.pullRequestId()).state()).isEqualTo(PullRequest.State.CONFLICTING);
            assertThatThrownBy(() -> pulls.merge(opened.pullRequestId())).hasMessageContaining("conflicts");
            assertThat(remoteFile("services/p/s/prod/values.yaml")).isEqualTo("digest: three\n");
        }
    }

    @Test
    void aPullRequestIntoABranchThatDoesNotExistYetStartsIt() throws Exception {
        try (var writer = writer("first-pr")) {
            var pulls = new LocalPullRequests(writer, branch -> branch);
            Change first = change("services/p/s/service.yaml", "first\n");
            var opened = (Outcome.PullRequestOpened) writer.propose().change(first).through(pulls).call();
            assertThat(pulls.merge(opened.pullRequestId()).state()).isEqualTo(PullRequest.State.MERGED);
            assertThat(remoteFile("services/p/s/service.yaml")).isEqualTo("first\n");
        }
    }

    @Test
    void theWarmCloneIsRepackedWhenIdleAndWhileBusyOnlyOnceItsPacksPileUp() throws Exception {
        try (var writer = writer("busy")) {
            assertThat(writer.commit().addAll(List.of(change("services/t/first/service.yaml", "n: first\n"))).call()).hasSize(1);
            // git's gc.autoPackLimit, made small so that the test need not push hundreds of times
            var config = new org.eclipse.jgit.storage.file.FileBasedConfig(temp.resolve("clone-busy/config").toFile(),
                    org.eclipse.jgit.util.FS.DETECTED);
            config.load();
            config.setInt("gc", null, "autopacklimit", 4);
            config.save();
            int busyLimit = CloneMaintenance.BUSY_PACK_FACTOR * 4;
            int mostPacks = 0;
            for (int i = 0; i < 2 * busyLimit; i++) {
                var outcomes = writer.commit().addAll(List.of(change("services/t/s" + i + "/service.yaml", "n: " + i + "\n"))).call();
                assertThat(outcomes).singleElement().isInstanceOf(Outcome.Committed.class);
                mostPacks = Math.max(mostPacks, packs("busy"));
            }
            // one pack per push: while busy, a repack only past the busy limit, not at every gc.autoPackLimit
            assertThat(mostPacks).isBetween(busyLimit, busyLimit + 1);
            assertThat(packs("busy")).isLessThan(busyLimit);
            for (int i = 0; i < 5; i++) {
                writer.commit().addAll(List.of(change("services/t/more" + i + "/service.yaml", "n: more\n"))).call();
            }
            assertThat(packs("busy")).isGreaterThan(4);

            writer.maintain();
            assertThat(packs("busy")).isEqualTo(1);
            assertThat(writer.commit().addAll(List.of(change("services/t/last/service.yaml", "n: last\n"))).call())
                    .singleElement().isInstanceOf(Outcome.Committed.class);
        }
        assertThat(remoteFile("services/t/s0/service.yaml")).isEqualTo("n: 0\n");
        assertThat(remoteFile("services/t/last/service.yaml")).isEqualTo("n: last\n");
        assertThat(trailerCounts()).hasSize(39).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
    }

    private int packs(String writer) throws java.io.IOException {
        return remotePacks(temp.resolve("clone-" + writer));
    }

    @Test
    void unsafePathsAreRefusedBeforeAnythingIsWritten() {
        for (String path : List.of("../x", "/etc/passwd", "a/../../b", ".git/config", "a//b", "a/./b", "")) {
            assertThatThrownBy(() -> new FileWrite(path, "x", FileWrite.Mode.CREATE)).as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private GitOpsWriter writer(String name) {
        return new GitOpsWriter(GitOpsWriter.Settings.of(served.uri(), "main", temp.resolve("clone-" + name)));
    }

    private static Outcome commit(GitOpsWriter writer, Change change) {
        return writer.commit().add(change).call().getFirst();
    }

    private static Change change(String path, String content) {
        return new Change(UUID.randomUUID(), "Create " + path, "", "dev-alice", "alice@example.com",
                List.of(new FileWrite(path, content, FileWrite.Mode.CREATE)));
    }

    private String remoteHead() throws Exception {
        try (Repository repository = Git.open(remote.toFile()).getRepository()) {
            return repository.exactRef(Constants.R_HEADS + "main").getObjectId().name();
        }
    }

    private RevCommit remoteCommit(String sha) throws Exception {
        try (Repository repository = Git.open(remote.toFile()).getRepository(); RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            walk.parseBody(commit);
            return commit;
        }
    }

    private String remoteFile(String path) throws Exception {
        String content = remoteFileOrNull(path);
        assertThat(content).as(path).isNotNull();
        return content;
    }

    private String remoteFileOrNull(String path) throws Exception {
        try (Repository repository = Git.open(remote.toFile()).getRepository(); RevWalk walk = new RevWalk(repository)) {
            RevCommit head = walk.parseCommit(repository.exactRef(Constants.R_HEADS + "main").getObjectId());
            try (TreeWalk tree = TreeWalk.forPath(repository, path, head.getTree())) {
                return tree == null ? null
                        : new String(repository.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private int commitsWith(UUID changeId) throws Exception {
        return trailerCounts().getOrDefault(changeId.toString(), 0);
    }

    private Map<String, Integer> trailerCounts() throws Exception {
        var counts = new HashMap<String, Integer>();
        try (Git git = Git.open(remote.toFile())) {
            for (RevCommit commit : git.log().add(git.getRepository().resolve("refs/heads/main")).call()) {
                commit.getFooterLines(Change.TRAILER).forEach(id -> counts.merge(id, 1, Integer::sum));
            }
        }
        return counts;
    }
}
