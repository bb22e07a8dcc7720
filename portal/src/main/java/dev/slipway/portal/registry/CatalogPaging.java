package dev.slipway.portal.registry;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * ACR announces the catalog's next page in a {@code Link} header; the Java client (1.2.x) looks
 * for it in the body's {@code link} field only, and so lists the first 100 repositories of a
 * registry and stops (Azure/azure-sdk-for-java#39815). This policy copies the header's link into
 * the body of catalog pages that lack one, so the client's own paging reads every page.
 */
final class CatalogPaging implements HttpPipelinePolicy {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return next.process().flatMap(response -> needsLink(response)
                ? response.getBodyAsByteArray().defaultIfEmpty(new byte[0]).map(body -> withLink(response, body))
                : Mono.just(response));
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        HttpResponse response = next.processSync();
        return needsLink(response) ? withLink(response, response.getBodyAsBinaryData().toBytes()) : response;
    }

    private static boolean needsLink(HttpResponse response) {
        return response.getStatusCode() == 200 && response.getRequest().getUrl().getPath().endsWith("/acr/v1/_catalog")
                && nextLink(response.getHeaders()) != null;
    }

    /** The target of {@code Link: </acr/v1/_catalog?last=…&n=…>; rel="next"}. */
    static String nextLink(HttpHeaders headers) {
        String link = headers.getValue(HttpHeaderName.LINK);
        if (link == null || !link.startsWith("<") || !link.contains("rel=\"next\"")) {
            return null;
        }
        int end = link.indexOf('>');
        return end > 1 ? link.substring(1, end) : null;
    }

    private static HttpResponse withLink(HttpResponse response, byte[] body) {
        try {
            JsonNode page = JSON.readTree(body);
            if (page instanceof ObjectNode object && !object.hasNonNull("link")) {
                object.put("link", nextLink(response.getHeaders()));
                return new Replaced(response, JSON.writeValueAsBytes(object));
            }
        } catch (JacksonException notJson) {
            // the client reports it as it would have
        }
        return new Replaced(response, body);
    }

    /** The response with another body (the original one has been read). */
    private static final class Replaced extends HttpResponse {
        private final HttpResponse original;
        private final byte[] body;

        Replaced(HttpResponse original, byte[] body) {
            super(original.getRequest());
            this.original = original;
            this.body = body;
        }

        @Override
        public int getStatusCode() {
            return original.getStatusCode();
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return original.getHeaders().getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public HttpHeaders getHeaders() {
            return original.getHeaders();
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.just(ByteBuffer.wrap(body));
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(body);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just(new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just(new String(body, charset));
        }

        @Override
        public com.azure.core.util.BinaryData getBodyAsBinaryData() {
            return com.azure.core.util.BinaryData.fromBytes(body);
        }
    }
}
