package dev.slipway.gitops.pullrequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP and JSON plumbing the hosted pull-request providers share: one {@link HttpClient} with
 * timeouts, fixed headers (authentication among them), JSON bodies, and the classification of
 * failures into {@link PullRequestException}s (retryable or not). GETs are conditional: a response
 * with an ETag is kept, and an unchanged resource answers 304 (which GitHub does not count against
 * its rate limit). A rate limit the provider announces (Retry-After, or X-RateLimit-Remaining 0 with
 * X-RateLimit-Reset) pauses every call until then, without a request.
 *
 * <p>Secrets never leave this class: headers are not logged, and every message built here is
 * scrubbed of the secrets it was given, in case a server echoes one back.
 */
final class ProviderHttp {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SERVER_MESSAGE = 300;
    private static final long LONGEST_PAUSE = 3600;

    /** A response as read: status, the parsed JSON body (null when empty or not JSON), headers. */
    record Response(int status, JsonNode json, String contentType, Map<String, List<String>> headers) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().getFirst();
                }
            }
            return null;
        }
    }

    private final String provider;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final Map<String, String> headers;
    private final List<String> secrets;
    private final Clock clock;
    private volatile Instant pausedUntil;
    /** The last response with an ETag per GET URL, least recently used first. */
    private final Map<URI, Response> conditional = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<URI, Response> eldest) {
                    return size() > 64;
                }
            });

    /**
     * @param provider  name used at the start of every message ("GitHub", "Azure DevOps")
     * @param headers   sent with every request (authentication, Accept, API version)
     * @param secrets   strings that must never appear in a message (the token and its encodings)
     */
    ProviderHttp(String provider, Map<String, String> headers, List<String> secrets,
                 Duration connectTimeout, Duration requestTimeout) {
        this(provider, headers, secrets, connectTimeout, requestTimeout, Clock.systemUTC());
    }

    ProviderHttp(String provider, Map<String, String> headers, List<String> secrets,
                 Duration connectTimeout, Duration requestTimeout, Clock clock) {
        this.provider = provider;
        this.clock = clock;
        this.headers = Map.copyOf(headers);
        this.secrets = List.copyOf(secrets);
        this.requestTimeout = requestTimeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // HTTP/1.1: no h2c upgrade dance on plain-http endpoints (test servers, proxies)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static ObjectMapper json() {
        return JSON;
    }

    /**
     * Sends one request. Network failures (refused, reset, timed out) become a retryable
     * {@link PullRequestException}; every HTTP status is returned for the caller to judge.
     *
     * @param body JSON body, or null for none
     */
    Response send(String method, URI uri, JsonNode body, String action) {
        Instant until = pausedUntil;
        if (until != null && clock.instant().isBefore(until)) {
            throw new PullRequestException(message(action + " postponed: " + provider
                    + " limits requests until " + until + "; will retry"), true, until, null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout);
        headers.forEach(request::header);
        Response known = "GET".equals(method) ? conditional.get(uri) : null;
        if (known != null) {
            request.header("If-None-Match", known.header("ETag"));
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new PullRequestException(message(action + " failed: no connection to " + origin(uri)
                    + " within " + connectTimeoutText() + "; will retry"), true, e);
        } catch (HttpTimeoutException e) {
            throw new PullRequestException(message(action + " failed: " + origin(uri)
                    + " did not answer in time (request timeout); will retry"), true, e);
        } catch (ConnectException e) {
            throw new PullRequestException(message(action + " failed: cannot connect to " + origin(uri)
                    + "; will retry"), true, e);
        } catch (IOException e) {
            throw new PullRequestException(message(action + " failed: network error talking to " + origin(uri)
                    + " (" + e.getClass().getSimpleName() + "); will retry"), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullRequestException(message(action + " interrupted"), true, e);
        }
        log.debug("{} {} {}{} -> {} in {} ms", provider, method, origin(uri), uri.getRawPath(), response.statusCode(),
                (System.nanoTime() - started) / 1_000_000);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        var answer = new Response(response.statusCode(), parse(response.body(), contentType), contentType,
                response.headers().map());
        pausedUntil = limitedUntil(answer);
        if (answer.status() == 304 && known != null) {
            return known;
        }
        if ("GET".equals(method) && answer.ok() && answer.header("ETag") != null) {
            conditional.put(uri, answer);
        }
        return answer;
    }

    /**
     * When the provider will take requests again, if this response says it will not now: a
     * Retry-After (seconds or an HTTP date) on a refusal, or an exhausted X-RateLimit-Remaining
     * with its X-RateLimit-Reset (seconds since the epoch).
     */
    private Instant limitedUntil(Response response) {
        Instant now = clock.instant();
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null && (response.status() == 429 || response.status() == 403 || response.status() >= 500)) {
            try {
                return bounded(now, now.plusSeconds(Math.clamp(Long.parseLong(retryAfter.trim()), 0, LONGEST_PAUSE)));
            } catch (NumberFormatException notSeconds) {
                try {
                    return bounded(now, ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant());
                } catch (DateTimeParseException unreadable) {
                    return now.plusSeconds(60);
                }
            }
        }
        if ("0".equals(response.header("X-RateLimit-Remaining"))) {
            try {
                long reset = Long.parseLong(response.header("X-RateLimit-Reset").trim());
                return bounded(now, Instant.ofEpochSecond(Math.clamp(reset, 0, now.getEpochSecond() + LONGEST_PAUSE)));
            } catch (RuntimeException noReset) {
                return now.plusSeconds(60);
            }
        }
        return null;
    }

    /** A pause the server asks for, never past an hour from now (a wrong header must not stop Slipway for good). */
    private static Instant bounded(Instant now, Instant until) {
        Instant latest = now.plusSeconds(LONGEST_PAUSE);
        return until.isAfter(latest) ? latest : until;
    }

    /** The JSON body of a successful response, or the classified failure. */
    JsonNode requireJson(Response response, String action, String subject) {
        if (!response.ok()) {
            throw failure(response, action, subject);
        }
        if (response.json() == null) {
            if (response.status() == 203 || response.contentType().toLowerCase().contains("text/html")) {
                // Azure DevOps answers a rejected PAT with 203 and a sign-in page instead of 401.
                throw new PullRequestException(message(action + " failed: the token lacks access to " + subject
                        + " (HTTP " + response.status() + " with a sign-in page instead of JSON);"
                        + " check that it is valid, not expired, and has the needed scopes"), false, null);
            }
            throw new PullRequestException(message(action + " failed: HTTP " + response.status()
                    + " without a JSON body"), false, null);
        }
        return response.json();
    }

    /**
     * Classifies an unsuccessful response: 408, 429, 5xx and rate-limit 403s are retryable; 401 and
     * 403 say that the token lacks access; 404 names the subject; other statuses carry the
     * server's message and are not retryable.
     */
    PullRequestException failure(Response response, String action, String subject) {
        int status = response.status();
        String server = serverMessage(response);
        String detail = " (HTTP " + status + (server.isEmpty() ? "" : ": " + server) + ")";
        if (status == 408 || status == 429 || status >= 500 || rateLimited(response)) {
            Instant until = pausedUntil;
            return new PullRequestException(message(action + " failed: " + provider + " is unavailable or limiting requests"
                    + detail + (until == null ? "" : "; not before " + until) + "; will retry"), true, until, null);
        }
        if (status == 401 || status == 403) {
            return new PullRequestException(message(action + " failed: the token lacks access to " + subject
                    + detail + "; check that it is valid, not expired, and has the needed scopes"), false, null);
        }
        if (status == 404) {
            return new PullRequestException(message(action + " failed: " + subject + " not found" + detail
                    + " (or the token cannot see it)"), false, null);
        }
        if (status >= 300 && status < 400) {
            return new PullRequestException(message(action + " failed: redirected" + detail
                    + "; check the URL and the token"), false, null);
        }
        return new PullRequestException(message(action + " failed" + detail), false, null);
    }

    /** A message that starts with the provider's name and contains none of the secrets. */
    String message(String text) {
        String result = provider + ": " + text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }

    /**
     * The server's own explanation: {@code message} plus, for GitHub, each {@code errors[].message};
     * the raw text when the body is not JSON. Shortened and scrubbed.
     */
    static String serverMessage(Response response) {
        JsonNode json = response.json();
        if (json == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        String top = text(json, "message");
        if (top != null) {
            parts.add(top);
        }
        for (JsonNode error : json.path("errors")) {
            String m = error.isTextual() ? error.asText() : text(error, "message");
            if (m != null) {
                parts.add(m);
            }
        }
        String joined = String.join(": ", parts);
        return joined.length() > MAX_SERVER_MESSAGE ? joined.substring(0, MAX_SERVER_MESSAGE) + "…" : joined;
    }

    /** The text of a field, or null when it is missing or JSON null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** One path segment, percent-encoded (spaces as %20, slashes encoded). */
    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One query parameter value, percent-encoded. */
    static String queryValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A base URL without trailing slashes. */
    static String trimBase(String url) {
        String result = url.strip();
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        URI parsed = URI.create(result);
        if (parsed.getScheme() == null || parsed.getHost() == null) {
            throw new IllegalArgumentException("not an absolute http(s) URL: " + url);
        }
        return result;
    }

    private static boolean rateLimited(Response response) {
        // GitHub answers an exhausted rate limit with 403 (not 429) and these headers.
        return response.status() == 403
                && ("0".equals(response.header("X-RateLimit-Remaining")) || response.header("Retry-After") != null);
    }

    private static JsonNode parse(String body, String contentType) {
        if (body == null || body.isBlank() || contentType.toLowerCase().contains("text/html")) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String write(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** Scheme, host and port only: never user info that someone may have put into a URL. */
    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private String connectTimeoutText() {
        return client.connectTimeout().map(d -> d.toMillis() + " ms").orElse("the connect timeout");
    }
}
