package dev.slipway.portal.cluster;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Watches every configured cluster, each on its own: a cluster that cannot be reached has its
 * environments {@code unknown} and is tried again with backoff (up to 5 minutes), and delays no
 * other. The portal's readiness does not wait for any cluster.
 */
@Component
class Clusters implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Clusters.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    private final ClustersProperties properties;
    private final StatusModel model;
    private final Clock clock;
    private final Supplier<TokenCredential> credential;
    private final List<ClusterSource> sources;
    private final Map<String, ClusterWatch> watches = new ConcurrentHashMap<>();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private ScheduledExecutorService retries;
    private volatile boolean running;

    @org.springframework.beans.factory.annotation.Autowired
    Clusters(ClustersProperties properties, StatusModel model, Clock clock,
             org.springframework.beans.factory.ObjectProvider<ClusterSource> sources) {
        // made only when a cluster connects with Entra ID, never in local mode
        this(properties, model, clock, () -> new DefaultAzureCredentialBuilder().build(), sources.orderedStream().toList());
    }

    Clusters(ClustersProperties properties, StatusModel model, Clock clock) {
        this(properties, model, clock, () -> new DefaultAzureCredentialBuilder().build(), List.of());
    }

    Clusters(ClustersProperties properties, StatusModel model, Clock clock, Supplier<TokenCredential> credential) {
        this(properties, model, clock, credential, List.of());
    }

    Clusters(ClustersProperties properties, StatusModel model, Clock clock, Supplier<TokenCredential> credential,
             List<ClusterSource> sources) {
        this.properties = properties;
        this.model = model;
        this.clock = clock;
        this.credential = memoized(credential);
        this.sources = List.copyOf(sources);
        properties.clusters().forEach((name, cluster) -> {
            var hosted = model.environmentsOn(name);
            if (!cluster.environments().isEmpty() && !java.util.Set.copyOf(cluster.environments()).equals(hosted)) {
                throw new IllegalStateException("slipway.clusters." + name + ".environments is " + cluster.environments()
                        + ", but slipway.environments puts " + hosted + " on " + name + ": make them agree");
            }
            if (hosted.isEmpty()) {
                log.warn("Cluster {} hosts none of slipway.environments: it is watched for nothing", name);
            }
        });
    }

    private static Supplier<TokenCredential> memoized(Supplier<TokenCredential> credential) {
        var made = new java.util.concurrent.atomic.AtomicReference<TokenCredential>();
        return () -> made.updateAndGet(existing -> existing != null ? existing : credential.get());
    }

    @Override
    public void start() {
        running = true;
        retries = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("slipway-clusters").daemon().factory());
        properties.clusters().forEach((name, cluster) -> retries.execute(() -> connect(name, cluster, FIRST_RETRY)));
        for (ClusterSource source : sources) {
            source.clusters().forEach((name, cluster) -> {
                if (properties.clusters().containsKey(name)) {
                    log.warn("Cluster {} is configured: the configured one is watched, not the sandbox's", name);
                } else {
                    model.sandbox(name);
                    retries.execute(() -> connect(name, cluster, FIRST_RETRY));
                }
            });
        }
        retries.scheduleWithFixedDelay(this::checkWatches, 5, 5, TimeUnit.SECONDS);
        // drift shows when its grace period ends, not at the next event
        retries.scheduleWithFixedDelay(model::reevaluate, 15, 15, TimeUnit.SECONDS);
    }

    /** A watch that dropped makes its cluster's environments unknown until it is up again. */
    void checkWatches() {
        watches.values().forEach(watch -> {
            boolean up = watch.watching();
            if (!up && model.isSynced(watch.cluster())) {
                log.warn("Cluster {}: its watch is down; its environments are unknown until it is back", watch.cluster());
                model.unreachable(watch.cluster());
            } else if (up && !model.isSynced(watch.cluster())) {
                log.info("Cluster {}: watching again", watch.cluster());
                model.synced(watch.cluster());
            }
        });
    }

    private void connect(String name, ClustersProperties.Cluster cluster, Duration backoff) {
        if (!running) {
            return;
        }
        try {
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config(name, cluster)).build();
            synchronized (clients) {
                clients.add(client);
            }
            var watch = new ClusterWatch(name, client, model);
            watches.put(name, watch);
            watch.start().whenComplete((done, failed) -> {
                if (failed != null) {
                    watch.close();
                    client.close();
                    retry(name, cluster, backoff);
                }
            });
        } catch (RuntimeException | IOException unusable) {
            log.warn("Cluster {}: {}; trying again in {}", name, unusable.getMessage(), backoff);
            model.unreachable(name);
            retry(name, cluster, backoff);
        }
    }

    private void retry(String name, ClustersProperties.Cluster cluster, Duration backoff) {
        if (running) {
            Duration next = backoff.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : backoff.multipliedBy(2);
            retries.schedule(() -> connect(name, cluster, next), backoff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the cluster's watches are up. */
    boolean watching(String cluster) {
        ClusterWatch watch = watches.get(cluster);
        return watch != null && watch.watching();
    }

    /** Stops a cluster's informers, as a cluster gone away stops them (for tests of what follows). */
    void stopWatching(String cluster) {
        ClusterWatch watch = watches.get(cluster);
        if (watch != null) {
            watch.close();
        }
    }

    Config config(String name, ClustersProperties.Cluster cluster) throws IOException {
        if (cluster.inCluster()) {
            return new io.fabric8.kubernetes.client.ConfigBuilder().build(); // the pod's service account
        }
        if (cluster.entraId()) {
            return entraConfig(name, cluster);
        }
        String kubeconfig = Files.readString(Path.of(cluster.kubeconfig()));
        return Config.fromKubeconfig(cluster.context(), kubeconfig, cluster.kubeconfig());
    }

    /** The server and CA from the settings or the kubeconfig's cluster; the token from Entra ID. */
    private Config entraConfig(String name, ClustersProperties.Cluster cluster) throws IOException {
        String server = cluster.server();
        String ca = cluster.certificateAuthorityData();
        if (server == null || server.isBlank()) {
            var kubeconfig = new KubernetesSerialization().unmarshal(Files.readString(Path.of(cluster.kubeconfig())),
                    io.fabric8.kubernetes.api.model.Config.class);
            String contextName = cluster.context() != null ? cluster.context() : kubeconfig.getCurrentContext();
            String clusterName = kubeconfig.getContexts().stream().filter(c -> c.getName().equals(contextName)).findFirst()
                    .orElseThrow(() -> new IOException(cluster.kubeconfig() + " has no context " + contextName))
                    .getContext().getCluster();
            var named = kubeconfig.getClusters().stream().filter(c -> c.getName().equals(clusterName)).findFirst()
                    .orElseThrow(() -> new IOException(cluster.kubeconfig() + " has no cluster " + clusterName)).getCluster();
            server = named.getServer();
            ca = named.getCertificateAuthorityData();
        }
        Config config = Config.empty();
        config.setMasterUrl(server);
        config.setCaCertData(ca);
        config.setOauthTokenProvider(new EntraToken(name, credential.get(), cluster.entraScope(), clock));
        return config;
    }

    @Override
    public void stop() {
        running = false;
        if (retries != null) {
            retries.shutdownNow();
        }
        watches.values().forEach(ClusterWatch::close);
        synchronized (clients) {
            clients.forEach(KubernetesClient::close);
            clients.clear();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
