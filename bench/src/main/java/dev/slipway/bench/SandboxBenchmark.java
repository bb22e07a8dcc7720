package dev.slipway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Local mode's sandbox (issue 13), on the packaged portal with its sandbox clusters on and the
 * default {@code slipway.sandbox.ready-after} of 3 s: (1) 20 ACR pushes to one service, one after
 * another, each timed from the moment it is sent until the status says dev runs that digest,
 * healthy (read through the API every 20 ms, from the model that feeds the UI's push); (2) the
 * portal's heap after a full GC before and after {@code bench.services} services (500) each got an
 * image and run healthy in dev in the sandbox.
 *
 * <p>Run: {@code ./dev bench-sandbox [-Dbench.services=500]}.
 */
public final class SandboxBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int services = Integer.getInteger("bench.services", 500);
    private final HttpClient http = HttpClient.newHttpClient();
    private URI base;

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("slipway-sandbox-");
        try {
            new SandboxBenchmark().run(work);
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                NaiveWriter.deleteTree(work);
            }
        }
        System.exit(0);
    }

    void run(Path work) throws Exception {
        System.out.printf(Locale.ROOT, "Slipway sandbox benchmark: 20 pushes to one service, then %d services running in the"
                + " sandbox; %d cores, Java %s%nportal %s%n%n", services, Runtime.getRuntime().availableProcessors(),
                Runtime.version(), PortalProcess.jar());
        try (Postgres postgres = Postgres.start(work.resolve("postgres"))) {
            Postgres.Database database = postgres.createDatabase("bench_sandbox");
            GitRemote remote = GitRemote.createBare(work.resolve("local/gitops.git"));
            var env = new LinkedHashMap<>(PortalProcess.env(database, remote.directory().toString()));
            env.put("SLIPWAY_SANDBOX_ENABLED", "true");
            // local mode's default: the chart in the GitOps repository, which the sandbox syncs from
            env.put("SLIPWAY_CHART_REPO_URL", "http://localhost:8080/git/gitops.git");
            var options = new PortalProcess.Options(work.resolve("portal"), env, List.of("-Xmx1g"));
            try (PortalProcess portal = PortalProcess.start(options, Duration.ofMinutes(2));
                 SlipwayApi api = new SlipwayApi(portal.base())) {
                base = portal.base();
                create(api, List.of("sbx-0000"));
                awaitState("sbx-0000", "not-deployed", null, Duration.ofMinutes(1));
                Stats.awaitQuietJit(portal.pid(), 0.1, Duration.ofSeconds(30));
                pushes();
                heap(api, portal.pid());
            }
        }
    }

    /** 1: push -> dev healthy with the digest, 20 times in a row. */
    private void pushes() throws Exception {
        var latencies = new ArrayList<Long>();
        Instant first = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 0; i < 20; i++) {
            String digest = ImagesBenchmark.digest("sandbox-push-" + i);
            long sent = System.nanoTime();
            push("sbx-0000", digest, "1.0." + i, first.plusSeconds(i));
            awaitState("sbx-0000", "healthy", digest, Duration.ofMinutes(1));
            latencies.add(System.nanoTime() - sent);
        }
        Collections.sort(latencies);
        double p50 = Stats.percentileMillis(latencies, 50) / 1000;
        System.out.printf(Locale.ROOT, "== 1. push -> dev healthy with that digest, 20 pushes one after another:"
                        + " p50 %.2f s, p90 %.2f s, max %.2f s (target p50 < 5 s with the 3 s ready delay)%n", p50,
                Stats.percentileMillis(latencies, 90) / 1000, latencies.getLast() / 1e9);
    }

    /** 2: the portal's heap before and after the services run in the sandbox. */
    private void heap(SlipwayApi api, long pid) throws Exception {
        long before = heapAfterGc(pid);
        var names = new ArrayList<String>();
        for (int i = 1; i < services; i++) {
            names.add("sbx-%04d".formatted(i));
        }
        long start = System.nanoTime();
        create(api, names);
        double created = (System.nanoTime() - start) / 1e9;
        Instant at = Instant.parse("2026-12-02T00:00:00Z");
        for (String name : names) {
            push(name, ImagesBenchmark.digest("sandbox-" + name), "2.0.0", at);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        int healthy = 0;
        while (System.nanoTime() < deadline && (healthy = healthyCount()) < services) {
            Thread.sleep(1000);
        }
        double synced = (System.nanoTime() - start) / 1e9;
        long after = heapAfterGc(pid);
        System.out.printf(Locale.ROOT, "== 2. %d services created in %.0f s; %d of them healthy in dev in the sandbox %.0f s"
                        + " after the first creation%n   portal heap after a full GC: %d MB before, %d MB with them all"
                        + " synced (+%d MB: the sandbox's API server and its objects, the sync agent, the informers' caches,"
                        + " the status model)%n", services, created, healthy, synced, before >> 20, after >> 20,
                (after - before) >> 20);
    }

    private void create(SlipwayApi api, List<String> names) throws Exception {
        List<SlipwayApi.Creation> created = new Burst(4, names.size(), "sbx", c -> api)
                .requests(i -> new SlipwayApi.Request(i, "dev-alice", "payments", names.get(i), "worker")).run();
        for (SlipwayApi.Creation creation : created) {
            if (!creation.accepted()) {
                throw new IllegalStateException("creating " + creation.request().name() + ": " + creation.status());
            }
        }
        for (SlipwayApi.Creation creation : created) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!"committed".equals(api.change(creation.changeId()).path("state").asText())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(creation.request().name() + " never committed");
                }
                Thread.sleep(50);
            }
        }
    }

    private void push(String service, String digest, String tag, Instant at) throws Exception {
        var response = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/webhooks/acr"))
                .header("Content-Type", "application/json").header("X-Slipway-Webhook-Secret", ImagesBenchmark.SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(ImagesBenchmark.pushEvent("payments/" + service, digest, tag, at)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("push " + service + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Waits until dev is in {@code state} (running only {@code digest} when given). */
    private void awaitState(String service, String state, String digest, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode dev = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode environment : get("/api/v1/services/payments/" + service).path("environments")) {
                if (environment.path("name").asText().equals("dev")) {
                    dev = environment.path("status");
                }
            }
            if (dev != null && state.equals(dev.path("state").asText())
                    && (digest == null || (dev.path("running").size() == 1 && dev.path("running").has(digest)))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(service + ": dev is not " + state + " with " + digest + ": " + dev);
    }

    private int healthyCount() throws Exception {
        var response = http.send(request("/api/v1/services?team=payments&state=healthy&limit=1").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return Integer.parseInt(response.headers().firstValue("X-Total-Count").orElse("0"));
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private long heapAfterGc(long pid) throws Exception {
        for (int i = 0; i < 2; i++) {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            jcmd.getInputStream().readAllBytes();
            jcmd.waitFor(30, TimeUnit.SECONDS);
        }
        return get("/actuator/metrics/jvm.memory.used?tag=area:heap").path("measurements").get(0).path("value").asLong();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("admin-ada:" + SlipwayApi.PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
}
