package dev.slipway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.gitops.Change;
import dev.slipway.gitops.FileWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The creation benchmark of issue 4. 32 clients create 640 services through a portal (a child
 * process, its database an embedded PostgreSQL owned by this JVM) against a local bare remote; the
 * same workload through {@link NaiveWriter} (fresh clone, commit, push per change) as the baseline.
 * Then both again against a remote that takes 200 ms per push (JGit's git daemon with a sleeping
 * pre-receive hook). A watcher polls each remote's branch every 5 ms: latency is from sending the
 * request to the change's commit being visible there. Prints the figures, the ratios and the
 * issue's targets; exits 1 when commits were lost or duplicated.
 *
 * <p>System properties: {@code bench.services} (640), {@code bench.clients} (32), {@code bench.warmup}
 * (32 creations first, not measured, checked like the rest; the naive writer then starts from the
 * repository as Slipway's measured burst found it), {@code bench.preview-warmup} (2000
 * previews before those, which warm the portal's JIT without adding to the repository; then the bench
 * waits, at most 30 s, until the portal's JIT compilers are quiet), {@code bench.push-delay-ms} (200),
 * {@code bench.keep} (keep the work directory), {@code bench.portal-jvm-args} (e.g. a flight
 * recording), {@code bench.naive} (false: skip the naive runs), {@code bench.naive-minutes} (4: the naive
 * writer gets that long to work through the workload; it starts no change after that, and its
 * figures are over what it wrote), {@code slipway.portal.jar}.
 */
public final class CreationBenchmark {

    private static final Duration WATCH_INTERVAL = Duration.ofMillis(5);
    private static final Duration SETTLE = Duration.ofMinutes(3);

    record Config(int services, int clients, int warmup, int previewWarmup, Duration pushDelay, boolean keep,
                  boolean naive, Duration naiveTimeBox, List<String> portalJvmArgs) {
        static Config fromSystemProperties() {
            String jvmArgs = System.getProperty("bench.portal-jvm-args", "").strip();
            if (jvmArgs.startsWith("${")) {
                jvmArgs = ""; // an unset Maven property
            }
            return new Config(Integer.getInteger("bench.services", 640), Integer.getInteger("bench.clients", 32),
                    Integer.getInteger("bench.warmup", 32), Integer.getInteger("bench.preview-warmup", 2000),
                    Duration.ofMillis(Integer.getInteger("bench.push-delay-ms", 200)),
                    Boolean.getBoolean("bench.keep"), !"false".equals(System.getProperty("bench.naive")),
                    Duration.ofSeconds(Math.round(60 * Double.parseDouble(System.getProperty("bench.naive-minutes", "4")))),
                    jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+")));
        }
    }

    /** One run's figures. */
    record Figures(String label, int requested, int accepted, int visible, int failed, double seconds, double perSecond,
                   double p50, double p99, double max, int lost, int duplicated, int strangers, List<String> notes) {
        boolean clean() {
            return lost == 0 && duplicated == 0 && strangers == 0 && failed == 0;
        }
    }

    /** One change of a run: when it was sent, its id once accepted. */
    record Sent(String changeId, long sentNanos, long answeredNanos, boolean accepted, String detail) {
    }

    private final Config config;
    private final Path work;
    /** Each Slipway run's branch tip when its measured burst began, by run prefix. */
    private final Map<String, String> startTips = new java.util.HashMap<>();

    CreationBenchmark(Config config, Path work) {
        this.config = config;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromSystemProperties();
        Path work = Files.createTempDirectory("slipway-bench-");
        System.out.printf(Locale.ROOT, "Slipway creation benchmark: %d services, %d clients (+%d warm-up creations"
                        + " per run), %d cores, Java %s%nportal %s%nwork directory %s%n%n", config.services(),
                config.clients(), config.warmup(), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), PortalProcess.jar(), work);
        boolean clean;
        try {
            clean = new CreationBenchmark(config, work).run();
        } finally {
            if (!config.keep()) {
                NaiveWriter.deleteTree(work);
            }
        }
        System.exit(clean ? 0 : 1);
    }

    boolean run() throws Exception {
        Figures slipwayLocal;
        Figures naiveLocal;
        Figures slipwaySlow;
        Figures naiveSlow;
        try (Postgres postgres = Postgres.start(work.resolve("postgres"))) {
            String local = "local bare remote";
            GitRemote localRemote = GitRemote.createBare(work.resolve("local/gitops.git"));
            slipwayLocal = portalRun(local, postgres, localRemote, localRemote.directory().toString(), "la");
            Map<String, Sample> samples = samples(localRemote, "la");
            // the naive writer starts from the repository as Slipway's measured burst found it
            GitRemote naiveRemote = GitRemote.copyOf(localRemote, startTips.get("la"), work.resolve("local/naive.git"));
            naiveLocal = config.naive()
                    ? naiveRun(local, naiveRemote, naiveRemote.directory().toString(), samples, "lb") : null;

            String slow = config.pushDelay().toMillis() + " ms per push (git://)";
            Path served = work.resolve("slow");
            try (SlowGitDaemon daemon = new SlowGitDaemon(served, config.pushDelay())) {
                GitRemote slowRemote = GitRemote.createBare(served.resolve("gitops.git"));
                slipwaySlow = portalRun(slow, postgres, slowRemote, daemon.uri("gitops.git"), "sa");
                String hook = "pushes that reached the " + config.pushDelay().toMillis() + " ms hook: ";
                slipwaySlow.notes().add(hook + daemon.pushes());
                long before = daemon.pushes();
                GitRemote slowNaive = GitRemote.copyOf(slowRemote, startTips.get("sa"), served.resolve("naive.git"));
                naiveSlow = config.naive() ? naiveRun(slow, slowNaive, daemon.uri("naive.git"), samples, "sb") : null;
                if (naiveSlow != null) {
                    naiveSlow.notes().add(hook + (daemon.pushes() - before));
                }
            }
        }
        return report(slipwayLocal, naiveLocal, slipwaySlow, naiveSlow);
    }

    // ---------------------------------------------------------------------------------------------
    // Through the portal

    /**
     * Previews from every client: they run the request path's rendering, checks and Helm (and its
     * JIT compilation) without adding anything to the repository.
     */
    private void previewWarmup(SlipwayApi api, String prefix) throws InterruptedException {
        if (config.previewWarmup() <= 0) {
            return;
        }
        var next = new java.util.concurrent.atomic.AtomicInteger();
        var refused = new java.util.concurrent.atomic.AtomicInteger();
        long start = System.nanoTime();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(config.clients())) {
            for (int c = 0; c < config.clients(); c++) {
                pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < config.previewWarmup(); i = next.getAndIncrement()) {
                        try {
                            if (api.preview(SlipwayApi.Request.of("p" + prefix, i)) != 200) {
                                refused.incrementAndGet();
                            }
                        } catch (java.io.IOException | InterruptedException e) {
                            refused.incrementAndGet();
                        }
                    }
                });
            }
        }
        System.out.printf(Locale.ROOT, "   warm-up: %d previews in %.1f s (%d not answered 200)%n", config.previewWarmup(),
                (System.nanoTime() - start) / 1e9, refused.get());
    }

    private Figures portalRun(String remoteLabel, Postgres postgres, GitRemote remote, String remoteUri, String prefix)
            throws Exception {
        String label = "slipway, " + remoteLabel;
        System.out.println("== " + label + ": starting a portal (SLIPWAY_GITOPS_REMOTE=" + remoteUri + ")");
        Postgres.Database database = postgres.createDatabase("bench_" + prefix);
        var options = new PortalProcess.Options(work.resolve(prefix + "-portal"),
                PortalProcess.env(database, remoteUri), config.portalJvmArgs());
        PortalProcess portal = PortalProcess.start(options, Duration.ofMinutes(2));
        var notes = new ArrayList<String>();
        try (SlipwayApi api = new SlipwayApi(portal.base());
             RemoteWatcher watcher = new RemoteWatcher(remote, WATCH_INTERVAL)) {
            var expected = new HashSet<String>();
            previewWarmup(api, prefix);
            if (config.warmup() > 0) {
                List<SlipwayApi.Creation> warm = new Burst(config.clients(), config.warmup(), "w" + prefix, c -> api).run();
                warm.stream().filter(SlipwayApi.Creation::accepted).forEach(c -> expected.add(c.changeId()));
                watcher.awaitAll(expected, SETTLE);
            }
            if (config.previewWarmup() > 0 || config.warmup() > 0) {
                // what the warm-up gave the JIT to compile is compiled before the burst, not during it
                Duration waited = Stats.awaitQuietJit(portal.pid(), 0.1, Duration.ofSeconds(30));
                System.out.printf(Locale.ROOT, "   the portal's JIT compilers went quiet after %.0f s%n", waited.toMillis() / 1e3);
            }
            startTips.put(prefix, remote.tip());
            int pushesBefore = watcher.tipMoves().size();
            double[] serverBefore = serverTime(api);
            long portalCpu = Stats.cpuNanos(portal.pid());
            var portalThreads = Stats.threadCpu(portal.pid());
            long postgresCpu = postgres.cpuNanos();
            long ownCpu = Stats.ownCpuNanos();
            long[] machine = Stats.machineJiffies();

            long start = System.nanoTime();
            List<SlipwayApi.Creation> creations = new Burst(config.clients(), config.services(), prefix, c -> api).run();
            long requestsDone = System.nanoTime();
            var sent = new ArrayList<Sent>();
            for (SlipwayApi.Creation c : creations) {
                sent.add(new Sent(c.changeId(), c.sentNanos(), c.answeredNanos(), c.accepted(),
                        c.accepted() ? null : c.outcome() + " " + c.status() + " " + c.detail()));
            }
            Collection<String> accepted = sent.stream().filter(Sent::accepted).map(Sent::changeId).toList();
            List<String> missing = watcher.awaitAll(accepted, SETTLE);
            long[] machineAfter = Stats.machineJiffies();
            long portalCpuUsed = Stats.cpuNanos(portal.pid()) - portalCpu;
            Map<String, Double> portalCpuByGroup = Stats.cpuByGroup(portalThreads, Stats.threadCpu(portal.pid()));
            long postgresCpuUsed = postgres.cpuNanos() - postgresCpu;
            long ownCpuUsed = Stats.ownCpuNanos() - ownCpu;
            double[] serverAfter = serverTime(api);

            var toAccept = new ArrayList<Long>();
            var acceptToVisible = new ArrayList<Long>();
            for (Sent s : sent) {
                Long seen = s.accepted() ? watcher.firstSeen(s.changeId()) : null;
                if (s.accepted()) {
                    toAccept.add(s.answeredNanos() - s.sentNanos());
                }
                if (seen != null) {
                    acceptToVisible.add(Math.max(0, seen - s.answeredNanos()));
                }
            }
            List<RemoteWatcher.TipMove> pushes = watcher.tipMoves();
            notes.add(String.format(Locale.ROOT, "request -> 202: p50 %.0f ms, p99 %.0f ms; 202 -> visible on the remote:"
                            + " p50 %.0f ms, p99 %.0f ms; all %d requests answered after %.2f s (%.1f/s)",
                    Stats.percentileMillis(toAccept, 50), Stats.percentileMillis(toAccept, 99),
                    Stats.percentileMillis(acceptToVisible, 50), Stats.percentileMillis(acceptToVisible, 99),
                    sent.size(), (requestsDone - start) / 1e9, sent.size() / ((requestsDone - start) / 1e9)));
            if (serverBefore != null && serverAfter != null && serverAfter[1] > serverBefore[1]) {
                notes.add(String.format(Locale.ROOT, "server time per POST /api/v1/services (portal's own metric, queueing"
                                + " for the CPU included): mean %.1f ms over %.0f requests",
                        1000 * (serverAfter[0] - serverBefore[0]) / (serverAfter[1] - serverBefore[1]),
                        serverAfter[1] - serverBefore[1]));
            }
            notes.add(pushNote(pushes.subList(pushesBefore, pushes.size()), start));
            notes.add(cpuNote(accepted.size(), portalCpuUsed, ownCpuUsed, machine, machineAfter));
            if (!portalCpuByGroup.isEmpty()) {
                var split = new StringBuilder("portal CPU per change by thread:");
                portalCpuByGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                        .forEach(e -> split.append(String.format(Locale.ROOT, " %s %.1f ms;", e.getKey(),
                                e.getValue() / accepted.size())));
                notes.add(split.substring(0, split.length() - 1));
            }
            if (postgresCpuUsed >= 0) {
                notes.add(String.format(Locale.ROOT, "PostgreSQL CPU per change: %.1f ms", postgresCpuUsed / 1e6 / accepted.size()));
            }

            sent.forEach(s -> {
                if (s.accepted()) {
                    expected.add(s.changeId());
                }
            });
            Figures figures = figures(label, sent, watcher, start, remote, expected, missing, notes);
            notes.add(apiCheck(api, accepted, remote));
            return figures;
        } finally {
            if (!portal.stop(Duration.ofSeconds(10))) {
                notes.add("the portal ignored SIGTERM for 10 s and was killed (see the report)");
            }
        }
    }

    /** Sum and count of the portal's http_server_requests for POST /api/v1/services, or null. */
    private static double[] serverTime(SlipwayApi api) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(api.base().resolve("/actuator/prometheus"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            ("admin-ada:" + SlipwayApi.PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .GET().build();
            String body;
            try (var http = java.net.http.HttpClient.newHttpClient()) {
                var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    return null;
                }
                body = response.body();
            }
            double sum = 0;
            double count = 0;
            for (String line : body.split("\n")) {
                if (line.contains("method=\"POST\"") && line.contains("uri=\"/api/v1/services\"")) {
                    double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    if (line.startsWith("http_server_requests_seconds_sum{")) {
                        sum += value;
                    } else if (line.startsWith("http_server_requests_seconds_count{")) {
                        count += value;
                    }
                }
            }
            return new double[] {sum, count};
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every accepted change COMMITTED in the API with the very commit that carries it on the remote. */
    static String apiCheck(SlipwayApi api, Collection<String> accepted, GitRemote remote) {
        Map<String, List<String>> onRemote = remote.commitsByChangeId();
        int mismatches = 0;
        String example = null;
        for (String id : accepted) {
            try {
                JsonNode change = api.change(id);
                List<String> commits = onRemote.getOrDefault(id, List.of());
                if (!change.path("state").asText().equals("committed") || commits.size() != 1
                        || !commits.getFirst().equals(change.path("commitSha").asText())) {
                    mismatches++;
                    example = example == null ? change.toString() : example;
                }
            } catch (IOException e) {
                mismatches++;
                example = example == null ? e.getMessage() : example;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "API check interrupted";
            }
        }
        return "API check: " + (accepted.size() - mismatches) + "/" + accepted.size()
                + " changes committed with the commit that carries them" + (example == null ? "" : "; e.g. " + example);
    }

    // ---------------------------------------------------------------------------------------------
    // Through the naive writer

    /** The files one service of the portal run brought to the remote, and that service's name. */
    record Sample(String name, List<FileWrite> files) {
    }

    /** Per team and template: a service of the portal run (prefix {@code prefix}) whose files the naive writer copies. */
    private Map<String, Sample> samples(GitRemote remote, String prefix) {
        var samples = new LinkedHashMap<String, Sample>();
        for (int i = 0; i < config.services() && samples.size() < 6; i++) {
            SlipwayApi.Request request = SlipwayApi.Request.of(prefix, i);
            String key = request.team() + "/" + request.template();
            if (!samples.containsKey(key)) {
                List<FileWrite> files = remote.serviceFiles(request.team(), request.name());
                if (files.stream().anyMatch(f -> f.path().endsWith(request.name() + "/service.yaml"))) {
                    samples.put(key, new Sample(request.name(), files));
                }
            }
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException("the portal run left no service to take the naive writer's files from");
        }
        return samples;
    }

    /** The naive writer's change for a request: the files of a sample of the same team and template, renamed. */
    private static Change naiveChange(SlipwayApi.Request request, Map<String, Sample> samples) {
        Sample sample = samples.getOrDefault(request.team() + "/" + request.template(),
                samples.values().iterator().next());
        var files = sample.files().stream().map(f -> new FileWrite(f.path().replace(sample.name(), request.name()),
                f.content().replace(sample.name(), request.name()), f.mode())).toList();
        return new Change(UUID.randomUUID(), "Create service " + request.team() + "/" + request.name() + " from "
                + request.template() + " 1.0.0", "Requested by " + request.user() + " in Slipway.", request.user(),
                request.user() + "@slipway", files);
    }

    private Figures naiveRun(String remoteLabel, GitRemote remote, String remoteUri, Map<String, Sample> samples,
                             String prefix) throws Exception {
        String label = "naive, " + remoteLabel;
        System.out.println("== " + label + ": " + config.clients() + " clients, each change a fresh clone of " + remoteUri);
        var notes = new ArrayList<String>();
        Path scratch = work.resolve(prefix + "-scratch");
        try (RemoteWatcher watcher = new RemoteWatcher(remote, WATCH_INTERVAL)) {
            // what the remote was seeded with is no stranger
            var expected = new HashSet<String>(remote.commitsByChangeId().keySet());
            if (config.warmup() > 0) {
                // the remote already holds Slipway's warm-up services: these only warm up this JVM's naive path
                var warmWriter = new NaiveWriter(remoteUri, scratch, System.nanoTime() + SETTLE.toNanos());
                int warmup = Math.min(config.warmup(), config.clients());
                for (var w : naive(warmWriter, samples, "w" + prefix, warmup, Long.MAX_VALUE).sent()) {
                    if (w.accepted()) {
                        expected.add(w.changeId());
                    }
                }
                watcher.awaitAll(expected, SETTLE);
            }
            long[] machine = Stats.machineJiffies();
            long ownCpu = Stats.ownCpuNanos();
            long start = System.nanoTime();
            // the time box: no new change after it; one under way gets two more minutes to land
            long stopAt = start + config.naiveTimeBox().toNanos();
            var writer = new NaiveWriter(remoteUri, scratch, stopAt + Duration.ofMinutes(2).toNanos());
            NaiveRun run = naive(writer, samples, prefix, config.services(), stopAt);
            if (run.sent().size() < config.services()) {
                notes.add(String.format(Locale.ROOT, "TIME BOX: no new change after %d s; %d of %d changes were started"
                                + " (the repository grew less than in the Slipway run, which favours the naive writer)",
                        config.naiveTimeBox().toSeconds(), run.sent().size(), config.services()));
            }
            Collection<String> accepted = run.sent().stream().filter(Sent::accepted).map(Sent::changeId).toList();
            List<String> missing = watcher.awaitAll(accepted, SETTLE);
            long ownCpuUsed = Stats.ownCpuNanos() - ownCpu;
            long[] machineAfter = Stats.machineJiffies();
            notes.add(String.format(Locale.ROOT, "per change: attempts mean %.1f, max %d; clone mean %.0f ms; push"
                            + " time mean %.0f ms (all attempts)",
                    run.results().stream().mapToInt(NaiveWriter.Result::attempts).average().orElse(0),
                    run.results().stream().mapToInt(NaiveWriter.Result::attempts).max().orElse(0),
                    Stats.meanMillis(run.results().stream().map(NaiveWriter.Result::cloneNanos).toList()),
                    Stats.meanMillis(run.results().stream().map(NaiveWriter.Result::pushNanos).toList())));
            notes.add(cpuNote(accepted.size(), -1, ownCpuUsed, machine, machineAfter));
            run.sent().forEach(s -> {
                if (s.accepted()) {
                    expected.add(s.changeId());
                }
            });
            return figures(label, run.sent(), watcher, start, remote, expected, missing, notes);
        }
    }

    record NaiveRun(List<Sent> sent, List<NaiveWriter.Result> results) {
    }

    /** {@code clients} threads write {@code total} changes through the naive writer, taking none after {@code stopAt}. */
    private NaiveRun naive(NaiveWriter writer, Map<String, Sample> samples, String prefix, int total, long stopAt)
            throws InterruptedException {
        var sent = new ConcurrentLinkedQueue<Sent>();
        var results = new ConcurrentLinkedQueue<NaiveWriter.Result>();
        var next = new AtomicInteger();
        var done = new CountDownLatch(config.clients());
        for (int c = 0; c < config.clients(); c++) {
            Thread.ofPlatform().name("naive-client-" + c).daemon().start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < total && System.nanoTime() < stopAt;
                         i = next.getAndIncrement()) {
                        Change change = naiveChange(SlipwayApi.Request.of(prefix, i), samples);
                        long sentAt = System.nanoTime();
                        NaiveWriter.Result result = writer.write(change);
                        results.add(result);
                        sent.add(new Sent(change.id().toString(), sentAt, System.nanoTime(), result.pushed(),
                                result.error()));
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        return new NaiveRun(List.copyOf(sent), List.copyOf(results));
    }

    // ---------------------------------------------------------------------------------------------
    // Figures and the report

    private static Figures figures(String label, List<Sent> sent, RemoteWatcher watcher, long start, GitRemote remote,
                                   Set<String> expected, List<String> missing, List<String> notes) {
        var latencies = new ArrayList<Long>();
        long last = start;
        int accepted = 0;
        for (Sent s : sent) {
            if (!s.accepted()) {
                continue;
            }
            accepted++;
            Long seen = watcher.firstSeen(s.changeId());
            if (seen != null) {
                latencies.add(seen - s.sentNanos());
                last = Math.max(last, seen);
            }
        }
        Map<String, List<String>> onRemote = remote.commitsByChangeId();
        int lost = 0;
        for (String id : expected) {
            if (!onRemote.containsKey(id)) {
                lost++;
            }
        }
        int duplicated = 0;
        int strangers = 0;
        for (var entry : onRemote.entrySet()) {
            if (entry.getValue().size() > 1) {
                duplicated += entry.getValue().size() - 1;
            }
            if (!expected.contains(entry.getKey())) {
                strangers++;
            }
        }
        int withoutTrailer = (int) remote.commits().stream().filter(c -> c.changeIds().size() != 1).count();
        if (withoutTrailer > 0) {
            notes.add(withoutTrailer + " commits without exactly one Slipway-Change-Id");
        }
        List<String> failures = sent.stream().filter(s -> !s.accepted()).map(Sent::detail).toList();
        if (!failures.isEmpty()) {
            notes.add(failures.size() + " requests not accepted, e.g. " + failures.getFirst());
        }
        if (!missing.isEmpty()) {
            notes.add(missing.size() + " accepted changes not visible on the remote after " + SETTLE);
        }
        double seconds = (last - start) / 1e9;
        var figures = new Figures(label, sent.size(), accepted, latencies.size(), failures.size() + withoutTrailer, seconds,
                seconds > 0 ? latencies.size() / seconds : 0, Stats.percentileMillis(latencies, 50),
                Stats.percentileMillis(latencies, 99), Stats.percentileMillis(latencies, 100), lost, duplicated,
                strangers, notes);
        System.out.printf(Locale.ROOT, "   %d/%d accepted, %d visible in %.2f s: %.1f changes/s, p50 %.0f ms, p99 %.0f ms;"
                        + " lost %d, duplicated %d, unknown %d%n", accepted, sent.size(), latencies.size(), seconds,
                figures.perSecond(), figures.p50(), figures.p99(), lost, duplicated, strangers);
        return figures;
    }

    /**
     * The pushes seen during the measured run: how many, how many commits each, and how long the
     * writer took per commit (time between pushes / commits of the later one) early and late in the run,
     * as the repository grows.
     */
    private static String pushNote(List<RemoteWatcher.TipMove> pushes, long start) {
        if (pushes.isEmpty()) {
            return "no pushes seen";
        }
        var perCommit = new ArrayList<Double>();
        long previous = start;
        for (RemoteWatcher.TipMove push : pushes) {
            perCommit.add((push.seenNanos() - previous) / 1e6 / push.commits());
            previous = push.seenNanos();
        }
        int quarter = Math.max(1, perCommit.size() / 4);
        return String.format(Locale.ROOT, "pushes seen on the remote: %d, commits per push: mean %.1f, max %d;"
                        + " time between pushes per commit: first %d pushes %.1f ms, last %d pushes %.1f ms",
                pushes.size(), pushes.stream().mapToInt(RemoteWatcher.TipMove::commits).average().orElse(0),
                pushes.stream().mapToInt(RemoteWatcher.TipMove::commits).max().orElse(0),
                quarter, perCommit.subList(0, quarter).stream().mapToDouble(Double::doubleValue).average().orElse(0),
                quarter, perCommit.subList(perCommit.size() - quarter, perCommit.size()).stream()
                        .mapToDouble(Double::doubleValue).average().orElse(0));
    }

    private static String cpuNote(int changes, long portalCpu, long ownCpu, long[] machineBefore, long[] machineAfter) {
        var note = new StringBuilder("CPU: machine busy ")
                .append(String.format(Locale.ROOT, "%.0f%%", 100 * Stats.busyShare(machineBefore, machineAfter)));
        if (portalCpu >= 0 && changes > 0) {
            note.append(String.format(Locale.ROOT, "; portal %.1f ms CPU per change", portalCpu / 1e6 / changes));
        }
        if (ownCpu >= 0 && changes > 0) {
            note.append(String.format(Locale.ROOT, "; benchmark JVM (clients, watcher%s) %.1f ms CPU per change",
                    portalCpu >= 0 ? "" : ", naive writer, git daemon", ownCpu / 1e6 / changes));
        }
        return note.toString();
    }

    private boolean report(Figures slipwayLocal, Figures naiveLocal, Figures slipwaySlow, Figures naiveSlow) {
        var all = new ArrayList<Figures>();
        for (Figures f : new Figures[] {slipwayLocal, naiveLocal, slipwaySlow, naiveSlow}) {
            if (f != null) {
                all.add(f);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-36s %9s %9s %9s %9s %9s %5s %5s %7s%n", "run", "written", "changes/s",
                "p50 ms", "p99 ms", "max ms", "lost", "dup", "unknown");
        for (Figures f : all) {
            System.out.printf(Locale.ROOT, "%-36s %9s %9.1f %9.0f %9.0f %9.0f %5d %5d %7d%n", f.label(),
                    f.visible() + "/" + config.services(), f.perSecond(), f.p50(), f.p99(), f.max(), f.lost(),
                    f.duplicated(), f.strangers());
        }
        Double localRatio = naiveLocal == null ? null : slipwayLocal.perSecond() / naiveLocal.perSecond();
        Double slowRatio = naiveSlow == null ? null : slipwaySlow.perSecond() / naiveSlow.perSecond();
        System.out.printf(Locale.ROOT, "%nslipway / naive: %s on the local bare remote, %s with %d ms per push%n",
                ratio(localRatio), ratio(slowRatio), config.pushDelay().toMillis());
        System.out.println();
        for (Figures f : all) {
            System.out.println(f.label() + ":");
            f.notes().forEach(n -> System.out.println("   " + n));
        }
        // the targets hold Slipway to zero; the naive writer's losses or duplicates are only reported
        boolean clean = slipwayLocal.clean() && slipwaySlow.clean();
        System.out.println();
        System.out.println("targets (issue 4):");
        target("slipway: no lost or duplicated commits, nothing unknown, every request accepted", clean);
        target(String.format(Locale.ROOT, ">= 100 changes/s (local bare remote): %.1f", slipwayLocal.perSecond()),
                slipwayLocal.perSecond() >= 100);
        target(">= 5x naive (local bare remote): " + ratio(localRatio), localRatio == null ? null : localRatio >= 5);
        target(String.format(Locale.ROOT, "p99 < 1 s (local bare remote): %.0f ms", slipwayLocal.p99()),
                slipwayLocal.p99() < 1000);
        target(">= 10x naive with " + config.pushDelay().toMillis() + " ms per push: " + ratio(slowRatio),
                slowRatio == null ? null : slowRatio >= 10);
        return clean;
    }

    /** A ratio as printed; a run that was not made (-Dbench.naive=false) is "not measured". */
    private static String ratio(Double value) {
        return value == null ? "not measured" : String.format(Locale.ROOT, "%.1fx", value);
    }

    /** @param met null when what it needs was not measured */
    private static void target(String what, Boolean met) {
        System.out.println("   " + (met == null ? "n/a   " : met ? "MET   " : "MISSED") + "  " + what);
    }
}
