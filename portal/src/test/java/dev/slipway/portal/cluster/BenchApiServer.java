package dev.slipway.portal.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's Kubernetes API: lists served from memory, and watches (websockets, as fabric8's
 * informers open them) to which the benchmark sends events itself, as an API server sends them when
 * a controller updates an object. fabric8's CRUD mock server scans every object it holds on every
 * request: at 45,000 objects it takes ten minutes to load and answers about 30 updates a second, so
 * it would measure itself, not Slipway.
 */
final class BenchApiServer implements AutoCloseable {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** The list path of a kind in every namespace, e.g. {@code /apis/apps/v1/deployments}. */
    private final Map<String, List<HasMetadata>> objects = new ConcurrentHashMap<>();
    private final Map<String, Set<WebSocket>> watches = new ConcurrentHashMap<>();
    private final AtomicLong resourceVersion = new AtomicLong(1);
    private final MockWebServer server = new MockWebServer();
    final KubernetesClient client;

    BenchApiServer() {
        for (String path : List.of("/apis/apps/v1/deployments", "/apis/apps/v1/replicasets", "/apis/batch/v1/cronjobs",
                "/apis/batch/v1/jobs", "/api/v1/pods")) {
            objects.put(path, new ArrayList<>());
            watches.put(path, ConcurrentHashMap.newKeySet());
        }
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        client = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.getPort()).withTrustCerts(true).withNamespace("default")
                .build()).build();
    }

    /** Stored before the informers list (not after: what a list returned is then told by events). */
    void add(String path, HasMetadata object) {
        object.getMetadata().setResourceVersion(Long.toString(resourceVersion.incrementAndGet()));
        List<HasMetadata> list = objects.get(path);
        synchronized (list) {
            list.add(object);
        }
    }

    /** Sends a MODIFIED event of the object to every watch of its kind, as the API server does on an update. */
    void modified(String path, HasMetadata object) {
        object.getMetadata().setResourceVersion(Long.toString(resourceVersion.incrementAndGet()));
        String event = "{\"type\":\"MODIFIED\",\"object\":" + JSON.asJson(object) + "}";
        watches.get(path).forEach(watch -> watch.send(event));
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getPath();
        int query = path.indexOf('?');
        String resource = query < 0 ? path : path.substring(0, query);
        List<HasMetadata> list = objects.get(resource);
        if (list == null) {
            return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
                    + "\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        }
        if (path.contains("watch=true")) {
            Set<WebSocket> open = watches.get(resource);
            return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                @Override
                public void onOpen(WebSocket socket, Response response) {
                    open.add(socket);
                }

                @Override
                public void onClosed(WebSocket socket, int code, String reason) {
                    open.remove(socket);
                }

                @Override
                public void onFailure(WebSocket socket, Throwable failure, Response response) {
                    open.remove(socket);
                }
            });
        }
        String kind = switch (resource.substring(resource.lastIndexOf('/') + 1)) {
            case "deployments" -> "DeploymentList";
            case "replicasets" -> "ReplicaSetList";
            case "cronjobs" -> "CronJobList";
            case "jobs" -> "JobList";
            default -> "PodList";
        };
        var body = new StringBuilder(list.size() * 2048).append("{\"kind\":\"").append(kind)
                .append("\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"").append(resourceVersion.get())
                .append("\"},\"items\":[");
        synchronized (list) {
            for (int i = 0; i < list.size(); i++) {
                body.append(i == 0 ? "" : ",").append(JSON.asJson(list.get(i)));
            }
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(body.append("]}").toString());
    }

    @Override
    public void close() {
        client.close();
        server.shutdown();
    }
}
