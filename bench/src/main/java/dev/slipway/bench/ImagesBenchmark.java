package dev.slipway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Images and scans (issue 11), on one packaged portal in local mode with its own bare remote:
 * <ol>
 *   <li>a steady stream of ACR push events (1,000 a minute across 200 services for 2 minutes), each
 *   measured from the moment it is sent to the moment dev's deploy commit is visible on the remote;</li>
 *   <li>Trivy reports of 5,000 and of 10,000 findings (Trivy's own golden file, its vulnerabilities
 *   repeated under other ids): ingest time and the portal's heap above its level before;</li>
 *   <li>with 1,000 images and 100,000 findings stored (uploaded through the API): the server time of
 *   the images API, an image's findings, and the Images view's query, with their plans (EXPLAIN).</li>
 * </ol>
 * System properties: {@code bench.services} (200), {@code bench.events-per-minute} (1000),
 * {@code bench.minutes} (2), {@code bench.images} (1000), {@code bench.findings-per-image} (100),
 * {@code bench.phases} (1,2,3), {@code bench.keep}, {@code slipway.portal.jar}, {@code slipway.fixtures}.
 */
public final class ImagesBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTRY = "slipwaylocal.azurecr.io";
    static final String SECRET = "slipway-local-webhook";

    private final int services = Integer.getInteger("bench.services", 200);
    private final int perMinute = Integer.getInteger("bench.events-per-minute", 1000);
    private final double minutes = Double.parseDouble(System.getProperty("bench.minutes", "2"));
    private final int images = Integer.getInteger("bench.images", 1000);
    private final int findingsPerImage = Integer.getInteger("bench.findings-per-image", 100);
    private final String phases = System.getProperty("bench.phases", "1,2,3");
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
    private URI base;

    private ImagesBenchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("slipway-images-");
        try {
            new ImagesBenchmark(work).run();
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                NaiveWriter.deleteTree(work);
            }
        }
        System.exit(0);
    }

    void run() throws Exception {
        System.out.printf(Locale.ROOT, "Slipway images benchmark: %d services, %d push events a minute for %.1f min, %d images"
                        + " with %d findings each; %d cores, Java %s%nportal %s%nwork directory %s%n%n", services, perMinute,
                minutes, images, findingsPerImage, Runtime.getRuntime().availableProcessors(), Runtime.version(),
                PortalProcess.jar(), work);
        try (Postgres postgres = Postgres.start(work.resolve("postgres"))) {
            Postgres.Database database = postgres.createDatabase("bench_images");
            GitRemote remote = GitRemote.createBare(work.resolve("local/gitops.git"));
            var options = new PortalProcess.Options(work.resolve("portal"),
                    PortalProcess.env(database, remote.directory().toString()), List.of("-Xmx1g"));
            try (PortalProcess portal = PortalProcess.start(options, Duration.ofMinutes(2));
                 SlipwayApi api = new SlipwayApi(portal.base());
                 RemoteWatcher watcher = new RemoteWatcher(remote, Duration.ofMillis(5))) {
                base = portal.base();
                List<String> names = createServices(api, watcher);
                Stats.awaitQuietJit(portal.pid(), 0.1, Duration.ofSeconds(30));
                var results = new ArrayList<String>();
                if (phases.contains("1")) {
                    results.add(pushes(names, watcher));
                }
                if (phases.contains("2")) {
                    results.addAll(trivy(names, portal.pid()));
                }
                if (phases.contains("3")) {
                    results.addAll(reads(names, database));
                }
                System.out.println("\n== Targets (issue 11)");
                results.forEach(line -> System.out.println("   " + line));
            }
        }
    }

    private List<String> createServices(SlipwayApi api, RemoteWatcher watcher) throws Exception {
        long start = System.nanoTime();
        var names = new ArrayList<String>();
        var changes = new ArrayList<String>();
        List<SlipwayApi.Creation> created = new Burst(8, services, "img", c -> api)
                .requests(i -> new SlipwayApi.Request(i, "dev-alice", "payments", "img-%04d".formatted(i), "worker")).run();
        for (SlipwayApi.Creation creation : created) {
            if (!creation.accepted()) {
                throw new IllegalStateException("creating " + creation.request().name() + ": " + creation.status()
                        + " " + creation.detail());
            }
            names.add(creation.request().name());
            changes.add(creation.changeId());
        }
        List<String> missing = watcher.awaitAll(changes, Duration.ofMinutes(5));
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing.size() + " creations never reached the remote");
        }
        System.out.printf(Locale.ROOT, "   %d services created and committed in %.1f s%n", services,
                (System.nanoTime() - start) / 1e9);
        return names;
    }

    /** 1: webhook to dev's commit on the remote, under a steady stream of pushes. */
    private String pushes(List<String> names, RemoteWatcher watcher) throws Exception {
        int total = (int) Math.round(perMinute * minutes);
        long periodMicros = 60_000_000L / perMinute;
        var sent = new ConcurrentHashMap<String, Long>();
        var failures = new AtomicInteger();
        // a push overtaken by a newer one of the same service (in flight at once) deploys nothing, by design
        var overtaken = new AtomicInteger();
        var failed = Collections.synchronizedList(new ArrayList<String>());
        var done = new CountDownLatch(total);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        var counter = new AtomicInteger();
        Instant first = Instant.parse("2026-12-01T00:00:00Z");
        long start = System.nanoTime();
        clock.scheduleAtFixedRate(() -> {
            int i = counter.getAndIncrement();
            if (i >= total) {
                return;
            }
            String service = names.get(i % names.size());
            String body = pushEvent("payments/" + service, digest("push-" + i), "1.0." + i, first.plusSeconds(i));
            long at = System.nanoTime();
            http.sendAsync(post("/api/v1/webhooks/acr", body).header("X-Slipway-Webhook-Secret", SECRET).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                        try {
                            if (error != null || response.statusCode() != 202) {
                                failures.incrementAndGet();
                                failed.add(error != null ? error.toString() : response.statusCode() + " " + response.body());
                                return;
                            }
                            JsonNode deploys = JSON.readTree(response.body()).path("deploys");
                            if (deploys.size() == 1) {
                                sent.put(deploys.get(0).asText(), at);
                            } else {
                                overtaken.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        } finally {
                            done.countDown();
                        }
                    });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        done.await(30, TimeUnit.MINUTES);
        clock.shutdownNow();
        double sending = (System.nanoTime() - start) / 1e9;
        List<String> missing = watcher.awaitAll(sent.keySet(), Duration.ofMinutes(5));
        var latencies = new ArrayList<Long>();
        sent.forEach((change, at) -> {
            Long seen = watcher.firstSeen(change);
            if (seen != null) {
                latencies.add(seen - at);
            }
        });
        Collections.sort(latencies);
        double p50 = Stats.percentileMillis(latencies, 50) / 1000;
        double p99 = Stats.percentileMillis(latencies, 99) / 1000;
        System.out.printf(Locale.ROOT, "%n== 1. %d push events in %.0f s (%.0f a minute) across %d services: %d deploys,"
                        + " %d overtaken by a newer push of their service, %d failed, %d never on the remote%n"
                        + "   webhook -> dev's commit on the remote: p50 %.2f s, p99 %.2f s, max %.2f s%n", total, sending,
                total / sending * 60, names.size(), sent.size(), overtaken.get(), failures.get(), missing.size(), p50, p99,
                latencies.isEmpty() ? 0 : latencies.getLast() / 1e9);
        failed.stream().limit(3).forEach(f -> System.out.println("   failed, e.g.: " + f));
        return verdict(p99 < 2.0 && failures.get() == 0 && missing.isEmpty(), String.format(Locale.ROOT,
                "push -> dev commit p99 under 2 s at %d events a minute: %.2f s (p50 %.2f s), %d failed, %d lost",
                perMinute, p99, p50, failures.get(), missing.size()));
    }

    /** 2: ingest time and heap of Trivy reports of 5,000 and 10,000 findings (14 and 28 MB, under the 32 MB limit). */
    private List<String> trivy(List<String> names, long pid) throws Exception {
        System.out.println("\n== 2. Trivy reports (fixtures/trivy/alpine-39.json.golden, its vulnerabilities repeated)");
        var lines = new ArrayList<String>();
        double first = 0;
        for (int findings : new int[] {5_000, 10_000}) {
            String service = names.getFirst();
            String digest = digest("trivy-" + findings);
            send(post("/api/v1/webhooks/acr", pushEvent("payments/" + service, digest, "trivy-" + findings,
                    Instant.parse("2026-11-01T00:00:00Z"))).header("X-Slipway-Webhook-Secret", SECRET));
            byte[] report = report(findings, 0);
            // warm the path once with another image, then measure
            String warm = digest("trivy-warm-" + findings);
            send(post("/api/v1/webhooks/acr", pushEvent("payments/" + service, warm, "warm-" + findings,
                    Instant.parse("2026-11-01T00:00:00Z"))).header("X-Slipway-Webhook-Secret", SECRET));
            upload(service, warm, report);
            gc(pid); // the baseline: what stays live, not the garbage of what came before
            long heapBefore = heapUsed();
            var peak = new java.util.concurrent.atomic.AtomicLong(heapBefore);
            var sampling = Executors.newSingleThreadScheduledExecutor();
            sampling.scheduleAtFixedRate(() -> peak.accumulateAndGet(heapUsed(), Math::max), 0, 20, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            int status = upload(service, digest, report);
            double seconds = (System.nanoTime() - start) / 1e9;
            sampling.shutdownNow();
            sampling.awaitTermination(1, TimeUnit.SECONDS);
            long above = Math.max(0, peak.get() - heapBefore);
            System.out.printf(Locale.ROOT, "   %,d findings (%.1f MB): %d in %.2f s; the portal's heap in use peaked %.0f MB"
                            + " above its level after a full GC (sampled every 20 ms)%n", findings, report.length / 1e6, status,
                    seconds, above / 1e6);
            if (findings == 5_000) {
                first = seconds;
                lines.add(verdict(status == 201 && seconds < 2.0, String.format(Locale.ROOT,
                        "Trivy report of 5,000 findings ingested in under 2 s: %.2f s, heap peak +%.0f MB", seconds, above / 1e6)));
            } else {
                lines.add(String.format(Locale.ROOT, "(10,000 findings: %.2f s, %.1f× the time of 5,000; heap peak +%.0f MB)",
                        seconds, seconds / first, above / 1e6));
            }
        }
        return lines;
    }

    /** 3: 1,000 images with 100 findings each, then the read paths' server time and plans. */
    private List<String> reads(List<String> names, Postgres.Database database) throws Exception {
        long start = System.nanoTime();
        int perService = Math.max(1, images / names.size());
        String lastDigest = null;
        for (int i = 0; i < images; i++) {
            String service = names.get(i / perService % names.size());
            String digest = digest("stored-" + i);
            send(post("/api/v1/webhooks/acr", pushEvent("payments/" + service, digest, "s-" + i,
                    Instant.parse("2026-10-01T00:00:00Z").plusSeconds(i))).header("X-Slipway-Webhook-Secret", SECRET));
            int status = upload(service, digest, report(findingsPerImage, i));
            if (status != 201) {
                throw new IllegalStateException("upload " + i + " answered " + status);
            }
            lastDigest = digest;
        }
        String service = names.get((images - 1) / perService % names.size());
        System.out.printf(Locale.ROOT, "%n== 3. %,d images with %,d findings each stored through the API in %.0f s%n", images,
                findingsPerImage, (System.nanoTime() - start) / 1e9);
        var lines = new ArrayList<String>();
        var paths = new java.util.LinkedHashMap<String, String>();
        paths.put("a service's images", "/api/v1/services/payments/" + service + "/images");
        paths.put("an image's findings (page of 100)", "/api/v1/services/payments/" + service + "/images/" + lastDigest);
        paths.put("critical findings with a fix", "/api/v1/services/payments/" + service + "/images/" + lastDigest
                + "?severity=critical&fixable=true");
        paths.put("the Images view's first page (50)", "/api/v1/images?limit=50");
        paths.put("the Images view's tenth page", "/api/v1/images?offset=450&limit=50");
        for (var entry : paths.entrySet()) {
            var times = new ArrayList<Long>();
            for (int i = 0; i < 220; i++) {
                long t = System.nanoTime();
                int status = send(get(entry.getValue())).statusCode();
                if (status != 200) {
                    throw new IllegalStateException(entry.getValue() + " answered " + status);
                }
                if (i >= 20) {
                    times.add(System.nanoTime() - t);
                }
            }
            Collections.sort(times);
            double p50 = Stats.percentileMillis(times, 50);
            double p99 = Stats.percentileMillis(times, 99);
            System.out.printf(Locale.ROOT, "   %-36s p50 %6.1f ms, p99 %6.1f ms%n", entry.getKey(), p50, p99);
            lines.add(verdict(p99 < 200, String.format(Locale.ROOT, "%s under 200 ms: p99 %.1f ms (p50 %.1f ms)",
                    entry.getKey(), p99, p50)));
        }
        explain(database, "payments/" + service, lastDigest);
        return lines;
    }

    /** The read paths' plans, as PostgreSQL runs them on this data. */
    private static void explain(Postgres.Database database, String repository, String digest) throws Exception {
        try (Connection connection = database.connect()) {
            var queries = new java.util.LinkedHashMap<String, String>();
            queries.put("a service's images", """
                    select i.id, i.digest, (select array_agg(t.tag) from image_tags t where t.image_id = i.id),
                           m.critical, count(*) over ()
                    from images i left join image_summaries m on m.image_id = i.id
                    where i.registry = '%s' and i.repository = '%s' order by i.pushed_at desc, i.id desc limit 100"""
                    .formatted(REGISTRY, repository));
            queries.put("an image's findings", """
                    select f.vulnerability_id, s.source, count(*) over ()
                    from findings f join scans s on s.id = f.scan_id
                    where s.image_id = (select id from images where registry = '%s' and repository = '%s' and digest = '%s')
                    order by f.severity_rank, f.vulnerability_id, f.package_name, s.source limit 100"""
                    .formatted(REGISTRY, repository, digest));
            queries.put("the Images view's page", """
                    select i.id, i.pushed_at, m.critical
                    from images i left join image_summaries m on m.image_id = i.id
                    where i.registry = '%s' and (select t.name || '/' || s.name from services s join teams t on t.id = s.team_id
                        where t.name = split_part(i.repository, '/', 1) and s.name = split_part(i.repository, '/', 2)
                          and split_part(i.repository, '/', 3) = '') is not null
                    order by i.pushed_at desc, i.id desc limit 50""".formatted(REGISTRY));
            for (var query : queries.entrySet()) {
                System.out.println("\n   EXPLAIN ANALYZE, " + query.getKey() + ":");
                try (var statement = connection.createStatement();
                     ResultSet plan = statement.executeQuery("explain (analyze, costs off, timing off) " + query.getValue())) {
                    while (plan.next()) {
                        System.out.println("     " + plan.getString(1));
                    }
                }
            }
        }
    }

    /** A full GC in the portal, through the JDK's jcmd. */
    private static void gc(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        jcmd.getInputStream().readAllBytes();
        jcmd.waitFor(30, TimeUnit.SECONDS);
    }

    private static String verdict(boolean met, String text) {
        return (met ? "MET    " : "MISSED ") + text;
    }

    private long heapUsed() {
        try {
            JsonNode metric = JSON.readTree(send(HttpRequest.newBuilder(base.resolve(
                    "/actuator/metrics/jvm.memory.used?tag=area:heap")).header("Authorization", basic("admin-ada"))).body());
            return metric.path("measurements").get(0).path("value").asLong();
        } catch (Exception e) {
            throw new IllegalStateException("the portal's heap is not readable from /actuator/metrics", e);
        }
    }

    private int upload(String service, String digest, byte[] report) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/scans?image=" + REGISTRY + "/payments/" + service + "@"
                        + digest)).header("Content-Type", "application/json").header("Authorization", basic("ci-robot"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(report))).statusCode();
    }

    /** Trivy's alpine golden file with its six vulnerabilities repeated under other ids up to {@code findings}. */
    private static byte[] report(int findings, int seed) throws Exception {
        String fixtures = System.getProperty("slipway.fixtures", "fixtures");
        ObjectNode report = (ObjectNode) JSON.readTree(Files.readString(Path.of(fixtures, "trivy", "alpine-39.json.golden")));
        ObjectNode result = (ObjectNode) report.path("Results").get(0);
        ArrayNode originals = (ArrayNode) result.path("Vulnerabilities");
        ArrayNode many = JSON.createArrayNode();
        String[] severities = {"CRITICAL", "HIGH", "MEDIUM", "LOW"};
        for (int i = 0; i < findings; i++) {
            ObjectNode vulnerability = ((ObjectNode) originals.get(i % originals.size())).deepCopy();
            vulnerability.put("VulnerabilityID", "CVE-%d-%05d".formatted(2000 + seed % 100, i));
            vulnerability.put("Severity", severities[(i + seed) % severities.length]);
            if (i % 3 == 0) {
                vulnerability.remove("FixedVersion");
            }
            many.add(vulnerability);
        }
        result.set("Vulnerabilities", many);
        report.put("CreatedAt", Instant.parse("2026-11-02T00:00:00Z").plusSeconds(seed).toString());
        return JSON.writeValueAsBytes(report);
    }

    static String pushEvent(String repository, String digest, String tag, Instant at) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", java.util.UUID.randomUUID().toString());
        event.put("timestamp", at.toString());
        event.put("action", "push");
        ObjectNode target = event.putObject("target");
        target.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        target.put("size", 1024);
        target.put("digest", digest);
        target.put("repository", repository);
        target.put("tag", tag);
        event.putObject("request").put("host", REGISTRY);
        return event.toString();
    }

    static String digest(String seed) {
        try {
            return "sha256:" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", basic("dev-carol")).GET();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + SlipwayApi.PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

}
