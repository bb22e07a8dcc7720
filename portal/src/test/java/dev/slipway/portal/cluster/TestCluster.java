package dev.slipway.portal.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Kubernetes API (fabric8's mock server in CRUD mode) on a port of the test's choosing, whose open
 * watches the test can end as an API server does: with 410 Gone (the resource version expired), or by
 * closing them. It can be shut down and started again on the same port: a cluster that goes away and
 * comes back.
 */
final class TestCluster implements AutoCloseable {

    private final KubernetesMockServer server;
    private final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();
    final KubernetesClient client;

    private TestCluster(int port) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new Watches(responses), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        client = server.createClient();
    }

    static TestCluster on(int port) {
        return new TestCluster(port);
    }

    String url() {
        return client.getConfiguration().getMasterUrl();
    }

    int port() {
        return server.getPort();
    }

    /** The requests received since the last call, oldest first. */
    java.util.List<RecordedRequest> requests() throws InterruptedException {
        var received = new java.util.ArrayList<RecordedRequest>();
        for (RecordedRequest r; (r = server.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS)) != null; ) {
            received.add(r);
        }
        return received;
    }

    /** Every open watch receives an ERROR event with 410 Gone, as when etcd compacted past its resource version. */
    void expireWatches() {
        watches.forEach(watch -> watch.send("""
                {"type":"ERROR","object":{"apiVersion":"v1","kind":"Status","status":"Failure","code":410,\
                "reason":"Expired","message":"too old resource version"}}"""));
    }

    /** Every open watch is closed by the server without an error, as an API server does at its timeout. */
    void dropWatches() {
        watches.forEach(watch -> watch.close(1000, "watch closed"));
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    /** The CRUD dispatcher, remembering the websockets of the watches it opens. */
    private final class Watches extends Dispatcher {
        private final KubernetesMixedDispatcher crud;

        Watches(Map<ServerRequest, Queue<ServerResponse>> responses) {
            crud = new KubernetesMixedDispatcher(responses);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            MockResponse response = crud.dispatch(request);
            WebSocketListener watch = response.getWebSocketListener();
            if (watch == null) {
                return response;
            }
            return response.withWebSocketUpgrade(new WebSocketListener() {
                @Override
                public void onBeforeAccept(WebSocket socket, Response r) {
                    watch.onBeforeAccept(socket, r);
                }

                @Override
                public void onOpen(WebSocket socket, Response r) {
                    watches.add(socket);
                    watch.onOpen(socket, r);
                }

                @Override
                public void onMessage(WebSocket socket, String text) {
                    watch.onMessage(socket, text);
                }

                @Override
                public void onMessage(WebSocket socket, ByteString bytes) {
                    watch.onMessage(socket, bytes);
                }

                @Override
                public void onMessage(WebSocket socket, byte[] bytes) {
                    watch.onMessage(socket, bytes);
                }

                @Override
                public void onClosing(WebSocket socket, int code, String reason) {
                    watch.onClosing(socket, code, reason);
                }

                @Override
                public void onClosed(WebSocket socket, int code, String reason) {
                    watches.remove(socket);
                    watch.onClosed(socket, code, reason);
                }

                @Override
                public void onFailure(WebSocket socket, Throwable failure, Response r) {
                    watches.remove(socket);
                    watch.onFailure(socket, failure, r);
                }
            });
        }

        @Override
        public void shutdown() {
            crud.shutdown();
        }
    }
}
