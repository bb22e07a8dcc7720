package dev.slipway.portal.cluster;

import dev.slipway.portal.environment.Environments;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The status benchmark (issue 12), in one JVM: two Kubernetes API servers ({@link BenchApiServer})
 * for {@code nonprod} (dev, test) and {@code prod}, holding {@code bench.services} services × 3
 * environments, each a Deployment with its ReplicaSet and a pod. The portal's informers and status
 * model ({@link ClusterWatch}, {@link StatusModel}) start against them as against real clusters.
 * Measured: the time from start to the first complete model (every environment healthy), the heap the
 * informers' caches and the model hold (used heap after full GCs, before and after), and the latency
 * from a Deployment's update event sent by the API server to the model's listeners (which feed the views'
 * push) while {@code bench.updates-per-second} updates arrive for {@code bench.seconds}.
 *
 * <p>Run: {@code ./dev bench-status [-Dbench.services=5000 -Dbench.updates-per-second=1000 -Dbench.seconds=60]}.
 */
public final class StatusBenchmark {

    static final String DIGEST = "sha256:" + "3f1c".repeat(16);
    static final String DEPLOYMENTS = "/apis/apps/v1/deployments";
    // the mock server logs every request through java.util.logging: kept quiet (a strong reference keeps the level)
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        int services = Integer.getInteger("bench.services", 5000);
        int perSecond = Integer.getInteger("bench.updates-per-second", 1000);
        int seconds = Integer.getInteger("bench.seconds", 60);
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        System.out.printf(Locale.ROOT, "Slipway status benchmark: %d services x 3 environments (%,d Deployments, as many"
                        + " ReplicaSets and pods) on 2 mock clusters; %d updates/s for %d s; %d cores, Java %s, max heap %d MB%n%n",
                services, services * 3, perSecond, seconds, Runtime.getRuntime().availableProcessors(),
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        try (var nonprod = new BenchApiServer(); var prod = new BenchApiServer()) {
            long t = System.nanoTime();
            populate(nonprod, services, List.of("dev", "test"));
            populate(prod, services, List.of("prod"));
            System.out.printf(Locale.ROOT, "populated the mock clusters in %.1f s%n", seconds(t));

            long before = usedHeapAfterGc();
            var model = new StatusModel(new Environments(null), Clock.systemUTC());
            int expected = services * 3;
            var healthy = ConcurrentHashMap.<EnvironmentStatus.Key>newKeySet();
            var complete = new CountDownLatch(1);
            Map<EnvironmentStatus.Key, long[]> waiting = new ConcurrentHashMap<>(); // key -> {desired, sent at}
            List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            model.listen(status -> {
                if (status.state() == EnvironmentStatus.State.HEALTHY && healthy.add(status.key()) && healthy.size() == expected) {
                    complete.countDown();
                }
                long[] update = waiting.get(status.key());
                if (update != null && status.desired() == update[0] && waiting.remove(status.key(), update)) {
                    latencies.add(System.nanoTime() - update[1]);
                }
            });

            long start = System.nanoTime();
            var watches = List.of(new ClusterWatch("nonprod", nonprod.client, model), new ClusterWatch("prod", prod.client, model));
            for (ClusterWatch watch : watches) {
                watch.start();
            }
            if (!complete.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no complete model in 120 s: " + healthy.size() + " of " + expected + " healthy");
            }
            double firstSync = seconds(start);
            while (!watches.stream().allMatch(ClusterWatch::watching)) {
                Thread.sleep(10);
            }
            long after = usedHeapAfterGc();
            System.out.printf(Locale.ROOT, "first complete model: %.2f s (%,d environments healthy; target < 15 s)%n",
                    firstSync, healthy.size());
            System.out.printf(Locale.ROOT, "heap held by the informers' caches and the model: %d MB (used heap after full GCs:"
                    + " %d MB before the start, %d MB after; target < 300 MB)%n", (after - before) >> 20, before >> 20, after >> 20);

            updates(List.of(nonprod, prod), services, perSecond, seconds, waiting);
            Thread.sleep(2000); // the last events
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "update -> model listeners: %,d updates seen of %,d sent; p50 %.1f ms, p99 %.1f ms,"
                            + " max %.1f ms (target p99 < 500 ms)%n", sorted.length, sent.get(),
                    percentile(sorted, 50), percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
            System.out.printf(Locale.ROOT, "heap after the updates: %d MB used after full GCs%n", usedHeapAfterGc() >> 20);
            watches.forEach(ClusterWatch::close);
        }
        System.exit(0);
    }

    static final AtomicInteger sent = new AtomicInteger();

    /**
     * Updates at a steady rate, round robin over every environment: each is a MODIFIED event of a
     * Deployment with a new replica count (all ready), sent by the API server to the informers' watches.
     */
    private static void updates(List<BenchApiServer> clusters, int services, int perSecond, int seconds,
                                Map<EnvironmentStatus.Key, long[]> waiting) throws Exception {
        var ticks = Executors.newSingleThreadScheduledExecutor();
        int total = perSecond * seconds;
        var next = new AtomicInteger();
        var done = new CountDownLatch(1);
        int perTick = Math.max(1, perSecond / 100);
        long sendingSince = System.nanoTime();
        ticks.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick; i++) {
                int n = next.getAndIncrement();
                if (n >= total) {
                    done.countDown();
                    return;
                }
                update(clusters, services, n, waiting);
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        done.await();
        ticks.shutdownNow();
        System.out.printf(Locale.ROOT, "sent %,d updates in %.1f s (%.0f/s)%n", sent.get(), seconds(sendingSince),
                sent.get() / seconds(sendingSince));
    }

    private static void update(List<BenchApiServer> clusters, int services, int n, Map<EnvironmentStatus.Key, long[]> waiting) {
        int environment = n % 3;
        int service = (n / 3) % services;
        int round = n / (services * 3);
        String env = List.of("dev", "test", "prod").get(environment);
        int replicas = round % 2 == 0 ? 3 : 2; // 2, then 3, 2…: every update is a change a user sees
        var key = new EnvironmentStatus.Key(team(service), name(service), env);
        waiting.put(key, new long[] {replicas, System.nanoTime()});
        clusters.get(environment == 2 ? 1 : 0).modified(DEPLOYMENTS, deployment(service, env, replicas));
        sent.incrementAndGet();
    }

    private static void populate(BenchApiServer cluster, int services, List<String> environments) {
        for (String env : environments) {
            for (int s = 0; s < services; s++) {
                cluster.add(DEPLOYMENTS, deployment(s, env, 2));
                cluster.add("/apis/apps/v1/replicasets", replicaSet(s, env));
                cluster.add("/api/v1/pods", pod(s, env));
            }
        }
    }

    private static String team(int service) {
        return "team-" + (service % 500);
    }

    private static String name(int service) {
        return "service-" + service;
    }

    private static Map<String, String> labels(int service, String env) {
        return Map.of(Workloads.TEAM, team(service), Workloads.SERVICE, name(service), Workloads.ENVIRONMENT, env,
                Workloads.MANAGED_BY, "Helm", "app.kubernetes.io/name", name(service),
                "app.kubernetes.io/instance", name(service) + "-" + env, "helm.sh/chart", "microservice-1.0.0");
    }

    /** A Deployment as the chart renders it and the controller reports it, every replica ready. */
    static Deployment deployment(int service, String env, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name(service)).withNamespace(team(service) + "-" + env)
                .withGeneration(1L).withLabels(labels(service, env))
                .addToAnnotations("deployment.kubernetes.io/revision", "1")
                .addNewManagedField().withManager("argocd-controller").withOperation("Apply").withApiVersion("apps/v1")
                .withFieldsType("FieldsV1").endManagedField().endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app.kubernetes.io/name", name(service))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(labels(service, env)).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("slipwaylocal.azurecr.io/" + team(service) + "/"
                        + name(service) + "@" + DIGEST).addNewPort().withContainerPort(8080).withName("http").endPort()
                .endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withUpdatedReplicas(replicas)
                .withReadyReplicas(replicas).withAvailableReplicas(replicas)
                .addNewCondition().withType("Available").withStatus("True").withReason("MinimumReplicasAvailable").endCondition()
                .addNewCondition().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable").endCondition()
                .endStatus().build();
    }

    private static ReplicaSet replicaSet(int service, String env) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name(service) + "-7d4b9c").withNamespace(team(service) + "-" + env)
                .withLabels(labels(service, env)).addToAnnotations("deployment.kubernetes.io/revision", "1").endMetadata()
                .withNewSpec().withReplicas(2).endSpec().withNewStatus().withReplicas(0).endStatus().build();
    }

    private static Pod pod(int service, String env) {
        return new PodBuilder().withNewMetadata().withName(name(service) + "-7d4b9c-x2x4z").withNamespace(team(service) + "-" + env)
                .withLabels(labels(service, env)).addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName(name(service) + "-7d4b9c").withUid("uid").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("slipwaylocal.azurecr.io/" + team(service) + "/"
                        + name(service) + "@" + DIGEST).endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("app").withReady(true)
                .withImage("slipwaylocal.azurecr.io/" + team(service) + "/" + name(service) + "@" + DIGEST)
                .withImageID("slipwaylocal.azurecr.io/" + team(service) + "/" + name(service) + "@" + DIGEST)
                .endContainerStatus().endStatus().build();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
