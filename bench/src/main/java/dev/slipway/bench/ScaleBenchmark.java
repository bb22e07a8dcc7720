package dev.slipway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The GitOps layout at scale (issue 10): one portal, 32 clients creating 10,000 services over 500
 * teams against a local bare remote (Slipway's own, as in local mode), every creation through the
 * API with its policy check and Helm. Prints the throughput and latency of each thousand in the
 * order they reached the remote, the warm clone's and the remote's size and packs at the end of the
 * burst and again once the portal, idle, has repacked them, and the issue's targets as MET or
 * MISSED; exits 1 if a commit was lost or duplicated.
 *
 * <p>System properties: {@code bench.services} (10000), {@code bench.teams} (500), {@code bench.clients}
 * (32), {@code bench.warmup} (64 creations first, in teams of their own), {@code bench.idle-minutes}
 * (3: how long to wait for the idle repack), {@code bench.keep}, {@code bench.portal-jvm-args},
 * {@code slipway.portal.jar}.
 */
public final class ScaleBenchmark {

    private static final String USER = "dev-scale";
    private static final List<String> TEMPLATES = List.of("http-service", "worker", "cron-job");
    private static final long MB = 1024 * 1024;

    private final int services = Integer.getInteger("bench.services", 10_000);
    private final int teams = Integer.getInteger("bench.teams", 500);
    private final int clients = Integer.getInteger("bench.clients", 32);
    private final int warmup = Integer.getInteger("bench.warmup", 64);
    private final Duration idleWait = Duration.ofSeconds(Math.round(60 * Double.parseDouble(
            System.getProperty("bench.idle-minutes", "3"))));
    private final Path work;

    private ScaleBenchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("slipway-scale-");
        boolean clean;
        try {
            clean = new ScaleBenchmark(work).run();
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                NaiveWriter.deleteTree(work);
            }
        }
        System.exit(clean ? 0 : 1);
    }

    private static String team(int index) {
        return "t%03d".formatted(index);
    }

    private SlipwayApi.Request request(String prefix, int index, int teamCount) {
        return new SlipwayApi.Request(index, USER, team(index % teamCount), "%s-%05d".formatted(prefix, index),
                TEMPLATES.get((index / teamCount) % TEMPLATES.size()));
    }

    boolean run() throws Exception {
        System.out.printf(Locale.ROOT, "Slipway scale benchmark: %d services over %d teams, %d clients, %d cores, Java %s%n"
                + "portal %s%nwork directory %s%n%n", services, teams, clients, Runtime.getRuntime().availableProcessors(),
                Runtime.version(), PortalProcess.jar(), work);
        try (Postgres postgres = Postgres.start(work.resolve("postgres"))) {
            GitRemote remote = GitRemote.createBare(work.resolve("local/gitops.git"));
            var env = new java.util.LinkedHashMap<>(PortalProcess.env(postgres.createDatabase("bench_scale"),
                    remote.directory().toString()));
            // one developer of every team (the local users' password), so that the clients spread over all of them
            String teamList = IntStream.range(0, teams).mapToObj(ScaleBenchmark::team).map(t -> "\"" + t + "\"")
                    .collect(Collectors.joining(","));
            env.put("SPRING_APPLICATION_JSON", "{\"slipway\":{\"local\":{\"users\":{\"" + USER + "\":{\"display-name\":"
                    + "\"Scale\",\"roles\":[\"developer\"],\"teams\":[" + teamList + "]}}}}}");
            String jvmArgs = System.getProperty("bench.portal-jvm-args", "").strip();
            var options = new PortalProcess.Options(work.resolve("portal"), env,
                    jvmArgs.isEmpty() || jvmArgs.startsWith("${") ? List.of("-Xmx1g") : List.of(jvmArgs.split("\\s+")));
            PortalProcess portal = PortalProcess.start(options, Duration.ofMinutes(2));
            Path clone = options.dataDir().resolve("gitops-clone");
            boolean exited;
            boolean clean;
            try (SlipwayApi api = new SlipwayApi(portal.base());
                 RemoteWatcher watcher = new RemoteWatcher(remote, Duration.ofMillis(5))) {
                long teamsStart = System.nanoTime();
                for (int t = 0; t < teams; t++) {
                    int status = api.post("/api/v1/teams", "admin-ada", "{\"name\": \"" + team(t) + "\", \"displayName\": \""
                            + "Team " + t + "\", \"entraGroupId\": \"" + UUID.nameUUIDFromBytes(team(t).getBytes()) + "\"}");
                    if (status != 201 && status != 200) {
                        throw new IllegalStateException("creating team " + team(t) + " answered " + status);
                    }
                }
                System.out.printf(Locale.ROOT, "   %d teams created in %.1f s%n", teams, (System.nanoTime() - teamsStart) / 1e9);

                var expected = new ArrayList<String>();
                if (warmup > 0) {
                    var warm = new Burst(clients, warmup, "w", c -> api).requests(i -> request("w", i, teams)).run();
                    warm.stream().filter(SlipwayApi.Creation::accepted).forEach(c -> expected.add(c.changeId()));
                    watcher.awaitAll(expected, Duration.ofMinutes(3));
                    Stats.awaitQuietJit(portal.pid(), 0.1, Duration.ofSeconds(30));
                }
                int seenBefore = watcher.tipMoves().stream().mapToInt(RemoteWatcher.TipMove::commits).sum();

                long start = System.nanoTime();
                List<SlipwayApi.Creation> creations = new Burst(clients, services, "s", c -> api)
                        .requests(i -> request("s", i, teams)).maxDuration(Duration.ofMinutes(80)).run();
                List<String> accepted = creations.stream().filter(SlipwayApi.Creation::accepted)
                        .map(SlipwayApi.Creation::changeId).toList();
                List<String> missing = watcher.awaitAll(accepted, Duration.ofMinutes(5));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "%n== %d creations over %d teams: %d accepted, %d refused, %d visible on the"
                                + " remote, in %.0f s (%.1f/s); not visible: %d%n", creations.size(), teams, accepted.size(),
                        creations.size() - accepted.size(), accepted.size() - missing.size(), seconds,
                        (accepted.size() - missing.size()) / seconds, missing.size());
                creations.stream().filter(c -> !c.accepted()).limit(3)
                        .forEach(c -> System.out.println("   refused, e.g.: " + c.status() + " " + c.detail()));
                var thousands = perThousand(creations, watcher, start);
                thousands.forEach(System.out::println);

                Sizes atEnd = Sizes.of(clone, remote.directory());
                System.out.println("\n   at the end of the burst: " + atEnd);
                long idleStart = System.nanoTime();
                Sizes idle = awaitIdleRepack(clone, remote.directory());
                System.out.printf(Locale.ROOT, "   after the idle repack (%.0f s later): %s%n", (System.nanoTime() - idleStart) / 1e9,
                        idle);

                expected.addAll(accepted);
                Map<String, List<String>> onRemote = remote.commitsByChangeId();
                int lost = (int) expected.stream().filter(id -> !onRemote.containsKey(id)).count();
                int duplicated = (int) onRemote.values().stream().filter(c -> c.size() > 1).count();
                int strangers = (int) onRemote.keySet().stream().filter(id -> !expected.contains(id)).count();
                System.out.printf(Locale.ROOT, "   lost %d, duplicated %d, unknown %d (of %d changes, %d commits seen before)%n",
                        lost, duplicated, strangers, expected.size(), seenBefore);
                System.out.println("   " + CreationBenchmark.apiCheck(api, accepted.subList(0, Math.min(500, accepted.size())), remote)
                        + " (the first 500)");

                System.out.println("\n== Targets (issue 10)");
                if (thousands.size() >= 10) {
                    double second = thousands.get(1).perSecond();
                    double last = thousands.getLast().perSecond();
                    target(last >= 0.8 * second, "throughput of the last thousand at least 80% of the second thousand's: "
                            + String.format(Locale.ROOT, "%.1f/s against %.1f/s (%.0f%%)", last, second, 100 * last / second));
                }
                target(idle.warmClone() < 100 * MB, "warm clone under 100 MB after the idle repack: " + mb(idle.warmClone()));
                target(idle.remote() < 100 * MB, "local remote under 100 MB after the idle repack: " + mb(idle.remote()));
                clean = lost == 0 && duplicated == 0 && strangers == 0;
            } finally {
                long stopStart = System.nanoTime();
                exited = portal.stop(Duration.ofSeconds(30));
                System.out.printf(Locale.ROOT, "   the portal %s %.1f s after SIGTERM%n", exited ? "exited" : "was killed",
                        (System.nanoTime() - stopStart) / 1e9);
            }
            return clean;
        }
    }

    /** One thousand of the burst, in the order the changes reached the remote. */
    record Thousand(int number, double perSecond, double p50, double p99) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "   thousand %2d: %6.1f changes/s, latency p50 %5.2f s, p99 %5.2f s", number,
                    perSecond, p50, p99);
        }
    }

    private static List<Thousand> perThousand(List<SlipwayApi.Creation> creations, RemoteWatcher watcher, long start) {
        record Seen(long at, long latency) {
        }
        var seen = new ArrayList<Seen>();
        for (SlipwayApi.Creation c : creations) {
            Long at = c.accepted() ? watcher.firstSeen(c.changeId()) : null;
            if (at != null) {
                seen.add(new Seen(at, at - c.sentNanos()));
            }
        }
        seen.sort((a, b) -> Long.compare(a.at(), b.at()));
        var thousands = new ArrayList<Thousand>();
        for (int k = 0; (k + 1) * 1000 <= seen.size(); k++) {
            long from = k == 0 ? start : seen.get(k * 1000 - 1).at();
            long to = seen.get((k + 1) * 1000 - 1).at();
            var latencies = seen.subList(k * 1000, (k + 1) * 1000).stream().map(Seen::latency).sorted().toList();
            thousands.add(new Thousand(k + 1, 1000 / ((to - from) / 1e9), latencies.get(500) / 1e9,
                    latencies.get(989) / 1e9));
        }
        return thousands;
    }

    /** Sizes on disk: the clone and the remote, bytes and pack files. */
    record Sizes(long warmClone, int clonePacks, long remote, int remotePacks) {
        static Sizes of(Path clone, Path remote) {
            return new Sizes(bytes(clone), packs(clone), bytes(remote), packs(remote));
        }

        @Override
        public String toString() {
            return "warm clone " + mb(warmClone) + " in " + clonePacks + " packs, remote " + mb(remote) + " in " + remotePacks
                    + " packs";
        }
    }

    /** Waits until the portal, idle, has left each repository in at most two packs, or until the time is up. */
    private Sizes awaitIdleRepack(Path clone, Path remote) throws InterruptedException {
        long deadline = System.nanoTime() + idleWait.toNanos();
        Sizes sizes = Sizes.of(clone, remote);
        while (System.nanoTime() < deadline && (sizes.clonePacks() > 2 || sizes.remotePacks() > 2)) {
            Thread.sleep(1000);
            sizes = Sizes.of(clone, remote);
        }
        // packs replaced by a repack may stay a moment: measure once more when nothing moves
        Thread.sleep(2000);
        return Sizes.of(clone, remote);
    }

    private static void target(boolean met, String text) {
        System.out.println("   " + (met ? "MET    " : "MISSED ") + text);
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) MB);
    }

    private static long bytes(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0; // a repack removed it meanwhile
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static int packs(Path repository) {
        Path packs = repository.resolve("objects/pack");
        if (!Files.isDirectory(packs)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(packs)) {
            return (int) files.filter(f -> f.toString().endsWith(".pack")).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
