package dev.slipway.portal.promotion;

import dev.slipway.portal.ApiClient;
import dev.slipway.portal.SlipwayApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Production promotions with the local pull-request provider, as {@code ./dev run} runs the portal
 * (local mode, embedded PostgreSQL, the GitOps remote in a fresh data directory; no sandbox, and
 * prod not asking that test run the image first, since no cluster runs anything here): 100
 * services each with a pushed, scanned image; for each, request -> its pull request open, and the
 * approval -> the merge commit on the remote with the digest in prod's values. Then the QA queue's
 * time with {@code bench.promotions} (10,000) promotions stored.
 *
 * <p>Run: {@code ./dev bench-promotions [-Dbench.promotions=100000]}.
 */
public final class PromotionBenchmark {

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("bench.count", 100);
        int stored = Integer.getInteger("bench.promotions", 10_000);
        Path data = Files.createTempDirectory("slipway-promotions-");
        ConfigurableApplicationContext portal = SpringApplication.run(SlipwayApplication.class, "--server.port=0",
                "--slipway.data-dir=" + data, "--logging.level.root=warn", "--slipway.sandbox.enabled=false",
                "--slipway.promotion.environments.prod.previous-healthy=false");
        int port = Integer.parseInt(portal.getEnvironment().getProperty("local.server.port"));
        try {
            var releases = new Releases(port, data);
            var services = new ArrayList<String>();
            var digests = new ArrayList<String>();
            for (int i = 0; i < count; i++) {
                String service = releases.createService("bench");
                String digest = Releases.newDigest();
                releases.push(service, digest, "1.0." + i, Instant.now());
                releases.scan(service, digest, "sl-micro-rancher5.4.json.golden");
                services.add(service);
                digests.add(digest);
            }
            var opened = new ArrayList<Long>();
            var merged = new ArrayList<Long>();
            for (int i = 0; i < count; i++) {
                long sent = System.nanoTime();
                JsonNode prod = releases.requested("dev-alice", services.get(i), "prod", digests.get(i));
                String id = prod.path("id").asString();
                if (!prod.path("state").asString().equals("awaiting-approval")) {
                    throw new IllegalStateException("promotion " + id + " is " + prod);
                }
                while (!releases.promotion(id).at("/pullRequest/state").asString().equals("pull-request-open")) {
                    Thread.sleep(2);
                }
                opened.add(System.nanoTime() - sent);
                String values = "services/payments/" + services.get(i) + "/prod/values.yaml";
                long approved = System.nanoTime();
                var approval = releases.decide("qa-quinn", id, "approve", "benchmark");
                if (approval.statusCode() != 200) {
                    throw new IllegalStateException("approving " + id + ": " + approval.body());
                }
                while (!String.valueOf(releases.onMain(values)).contains(digests.get(i))) {
                    Thread.sleep(2);
                }
                merged.add(System.nanoTime() - approved);
            }
            System.out.printf(Locale.ROOT, "%nSlipway promotions to prod, %d one after another, local pull requests:%n"
                            + "  request -> pull request open:            p50 %s, p99 %s, max %s (target < 1 s)%n"
                            + "  last approval -> merge commit on remote: p50 %s, p99 %s, max %s (target < 1 s)%n",
                    count, p(opened, 50), p(opened, 99), p(opened, 100), p(merged, 50), p(merged, 99), p(merged, 100));

            // the queue with many promotions stored: a fifth of them awaiting approval
            JdbcClient jdbc = portal.getBean(JdbcClient.class);
            List<UUID> serviceIds = jdbc.sql("select id from services").query(UUID.class).list();
            String[] states = {"awaiting-approval", "deployed", "deployed", "rejected", "superseded"};
            Instant start = Instant.now().minusSeconds(stored);
            for (int done = 0; done < stored; done += 1000) {
                int batch = Math.min(1000, stored - done);
                var ids = new UUID[batch];
                var of = new UUID[batch];
                var state = new String[batch];
                var at = new Timestamp[batch];
                for (int j = 0; j < batch; j++) {
                    ids[j] = UUID.randomUUID();
                    of[j] = serviceIds.get((done + j) % serviceIds.size());
                    state[j] = states[(done + j) % states.length];
                    at[j] = Timestamp.from(start.plusSeconds(done + j));
                }
                jdbc.sql("""
                                insert into promotions (id, service_id, team, service, environment, registry, repository,
                                                        digest, tag, state, needs_approval, required_approvals, requested_by,
                                                        requested_at, updated_at)
                                select u.id, u.service_id, t.name, s.name, 'prod', 'slipwaylocal.azurecr.io',
                                       t.name || '/' || s.name, 'sha256:' || repeat('ab', 32), '9.9.9', u.state, true, 1,
                                       'dev-alice', u.at, u.at
                                from unnest(?::uuid[], ?::uuid[], ?::text[], ?::timestamptz[]) as u(id, service_id, state, at)
                                join services s on s.id = u.service_id join teams t on t.id = s.team_id""")
                        .params(ids, of, state, at).update();
            }
            int total = jdbc.sql("select count(*) from promotions").query(Integer.class).single();
            var queue = new ArrayList<Long>();
            int shown = 0;
            for (int i = 0; i < 120; i++) {
                long sent = System.nanoTime();
                var response = ApiClient.as(port, "qa-quinn").get("/api/v1/promotions/queue?limit=100");
                long took = System.nanoTime() - sent;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("the queue: " + response.body());
                }
                shown = ApiClient.json(response).size();
                if (i >= 20) {
                    queue.add(took); // the first 20 warm the JIT and the caches
                }
            }
            System.out.printf(Locale.ROOT, "  QA queue (oldest 100 of those awaiting approval) with %,d promotions stored,"
                            + " %d shown, over HTTP: p50 %s, p99 %s (target < 200 ms)%n  %d cores, Java %s%n",
                    total, shown, p(queue, 50), p(queue, 99), Runtime.getRuntime().availableProcessors(), Runtime.version());
        } finally {
            portal.close();
            try (var paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static String p(List<Long> nanos, int percentile) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int at = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return String.format(Locale.ROOT, "%.0f ms", sorted.get(Math.max(0, at)) / 1e6);
    }
}
