package dev.slipway.portal.sandbox;

import dev.slipway.portal.cluster.ClusterSource;
import dev.slipway.portal.cluster.ClustersProperties;
import dev.slipway.portal.database.DataDirectory;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Local mode's sandbox clusters: an in-process Kubernetes API (fabric8's mock server in CRUD mode)
 * for each cluster {@code slipway.environments} names, on a loopback port, with a kubeconfig in the
 * data directory. The status feature reaches them through that kubeconfig, exactly as it reaches a
 * real cluster. Started when watching starts; never in Azure mode.
 */
@Component
@Profile("!azure")
@ConditionalOnProperty(prefix = "slipway.sandbox", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SandboxClusters implements ClusterSource, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SandboxClusters.class);

    private final List<String> names;
    private final Path directory;
    private final Map<String, KubernetesMockServer> servers = new LinkedHashMap<>();
    private final Map<String, KubernetesClient> clients = new LinkedHashMap<>();
    private volatile boolean closed;

    SandboxClusters(Environments environments, DataDirectory data) {
        this.names = List.copyOf(new TreeSet<>(environments.all().stream().map(Environment::cluster).toList()));
        this.directory = data.resolve("sandbox");
    }

    @Override
    public synchronized Map<String, ClustersProperties.Cluster> clusters() {
        var clusters = new LinkedHashMap<String, ClustersProperties.Cluster>();
        for (String name : names) {
            KubernetesMockServer server = servers.computeIfAbsent(name, this::start);
            clusters.put(name, new ClustersProperties.Cluster(kubeconfig(name, server).toString(), context(name), false,
                    null));
        }
        return clusters;
    }

    /** A client of a sandbox cluster, as Argo CD and the kubelet reach it (the sync agent's). */
    public synchronized KubernetesClient client(String cluster) {
        if (!servers.containsKey(cluster)) {
            clusters();
        }
        return clients.computeIfAbsent(cluster, name -> servers.get(name).createClient());
    }

    public List<String> names() {
        return names;
    }

    private KubernetesMockServer start(String name) {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        // Argo CD's Application kind, as its install manifest brings it
        server.createClient().apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("applications.argoproj.io").endMetadata()
                .withNewSpec().withGroup("argoproj.io").withScope("Namespaced")
                .withNewNames().withKind("Application").withListKind("ApplicationList").withPlural("applications")
                .withSingular("application").endNames()
                .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true).withNewSchema()
                .withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema()
                .endSchema().endVersion().endSpec().build()).create();
        // the mock server keeps every request it answered for tests to read: a sandbox that runs for
        // days must not, so they are taken off as they come
        Thread.ofPlatform().daemon().name("sandbox-" + name + "-requests").start(() -> {
            try {
                while (!closed) {
                    server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
        log.info("Sandbox cluster {} (local mode: an in-process Kubernetes API, no real cluster) at 127.0.0.1:{}", name,
                server.getPort());
        return server;
    }

    private Path kubeconfig(String name, KubernetesMockServer server) {
        var config = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .withClusters(new NamedClusterBuilder().withName("sandbox-" + name).withNewCluster()
                        .withServer("http://127.0.0.1:" + server.getPort()).endCluster().build())
                .withContexts(new NamedContextBuilder().withName(context(name)).withNewContext()
                        .withCluster("sandbox-" + name).withNamespace("default").endContext().build())
                .withCurrentContext(context(name)).build();
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(name + ".kubeconfig");
            Files.writeString(file, new KubernetesSerialization().asYaml(config));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox cluster's kubeconfig", e);
        }
    }

    private static String context(String name) {
        return "sandbox-" + name;
    }

    @Override
    public synchronized void destroy() {
        closed = true;
        clients.values().forEach(KubernetesClient::close);
        servers.values().forEach(KubernetesMockServer::destroy);
        clients.clear();
        servers.clear();
    }
}
