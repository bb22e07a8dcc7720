package dev.slipway.gitops.pullrequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pull requests on GitHub (github.com or GitHub Enterprise Server) through its REST API
 * (version 2022-11-28), authenticated with a token (fine-grained or classic PAT, or an app
 * installation token) that may read and write pull requests and contents of the repository.
 *
 * <p>The source branch lives in the same repository as the target (no forks).
 */
public final class GitHubPullRequests implements PullRequestProvider {

    /** The API of github.com; GitHub Enterprise Server has {@code https://HOST/api/v3}. */
    public static final String DEFAULT_API_URL = "https://api.github.com";

    private static final Logger log = LoggerFactory.getLogger(GitHubPullRequests.class);
    /** At 100 a page, the first 1,000 open pull requests are found in the list; the rest are read one by one. */
    private static final int MAX_PAGES = 10;

    private final String apiUrl;
    private final String owner;
    private final String repo;
    private final ProviderHttp http;

    /** A provider for a repository on github.com. */
    public GitHubPullRequests(String owner, String repo, String token) {
        this(DEFAULT_API_URL, owner, repo, token);
    }

    /**
     * @param apiUrl the API base URL: {@value #DEFAULT_API_URL}, or {@code https://HOST/api/v3} for
     *               GitHub Enterprise Server
     * @param owner  the user or organisation that owns the repository
     * @param repo   the repository's name
     * @param token  sent as a bearer token; never logged
     */
    public GitHubPullRequests(String apiUrl, String owner, String repo, String token) {
        this(apiUrl, owner, repo, token, ProviderHttp.CONNECT_TIMEOUT, ProviderHttp.REQUEST_TIMEOUT);
    }

    GitHubPullRequests(String apiUrl, String owner, String repo, String token,
                       Duration connectTimeout, Duration requestTimeout) {
        this(apiUrl, owner, repo, token, connectTimeout, requestTimeout, java.time.Clock.systemUTC());
    }

    GitHubPullRequests(String apiUrl, String owner, String repo, String token,
                       Duration connectTimeout, Duration requestTimeout, java.time.Clock clock) {
        this.apiUrl = ProviderHttp.trimBase(Objects.requireNonNull(apiUrl, "apiUrl"));
        this.owner = requireText(owner, "owner");
        this.repo = requireText(repo, "repo");
        requireText(token, "token");
        this.http = new ProviderHttp("GitHub",
                Map.of("Authorization", "Bearer " + token,
                        "Accept", "application/vnd.github+json",
                        "X-GitHub-Api-Version", "2022-11-28",
                        "User-Agent", "slipway-gitops-writer"),
                List.of(token), connectTimeout, requestTimeout, clock);
    }

    @Override
    public PullRequest open(String sourceBranch, String targetBranch, String title, String description) {
        requireText(sourceBranch, "sourceBranch");
        requireText(targetBranch, "targetBranch");
        requireText(title, "title");
        String action = "opening a pull request from " + sourceBranch + " into " + targetBranch + " in " + slug();
        ObjectNode body = ProviderHttp.json().createObjectNode()
                .put("title", title)
                .put("head", sourceBranch)
                .put("base", targetBranch);
        if (description != null) {
            body.put("body", description);
        }
        ProviderHttp.Response response = http.send("POST", uri("/pulls"), body, action);
        if (response.status() == 422) {
            // GitHub refuses a second open pull request for the same head and base with 422
            // ("A pull request already exists for owner:branch."): a retried open. Look it up.
            PullRequest existing = findOpen(sourceBranch, targetBranch, action);
            if (existing != null) {
                log.info("GitHub: pull request #{} from {} into {} in {} already open; returning it",
                        existing.id(), sourceBranch, targetBranch, slug());
                return existing;
            }
            String server = ProviderHttp.serverMessage(response);
            // "already exists" but not found open any more: it is being closed or merged right now.
            boolean inFlux = server.contains("already exists");
            throw new PullRequestException(http.message(action + " failed (HTTP 422: " + server + ")"), inFlux, null);
        }
        return toPullRequest(http.requireJson(response, action, "repository " + slug()));
    }

    @Override
    public PullRequest get(String id) {
        return toPullRequest(read(number(id)));
    }

    @Override
    public PullRequest merge(String id) {
        long number = number(id);
        JsonNode current = read(number);
        PullRequest pr = toPullRequest(current);
        if (pr.state() == PullRequest.State.MERGED) {
            return pr;
        }
        String action = "merging pull request #" + number + " in " + slug();
        if (pr.state() == PullRequest.State.CLOSED) {
            throw new PullRequestException(http.message(action + " failed: it was closed without being merged"),
                    false, null);
        }
        ObjectNode body = ProviderHttp.json().createObjectNode().put("merge_method", "merge");
        String headSha = ProviderHttp.text(current.path("head"), "sha");
        if (headSha != null) {
            // merge exactly what was read (and approved); GitHub answers 409 if the head moved since
            body.put("sha", headSha);
        }
        ProviderHttp.Response response = http.send("PUT", uri("/pulls/" + number + "/merge"), body, action);
        if (response.status() == 405 || response.status() == 409) {
            // Not mergeable (conflicts, checks, protection) or the head moved; or a concurrent
            // merge won the race, in which case the pull request is merged and that is fine.
            PullRequest after = get(String.valueOf(number));
            if (after.state() == PullRequest.State.MERGED) {
                return after;
            }
            throw new PullRequestException(http.message(action + " failed (HTTP " + response.status() + ": "
                    + ProviderHttp.serverMessage(response) + ")"), false, null);
        }
        JsonNode result = http.requireJson(response, action, "pull request #" + number + " in " + slug());
        if (!result.path("merged").asBoolean(false)) {
            throw new PullRequestException(http.message(action + " failed: "
                    + Objects.requireNonNullElse(ProviderHttp.text(result, "message"), "not merged")), false, null);
        }
        return new PullRequest(pr.id(), pr.url(), pr.sourceBranch(), pr.targetBranch(), PullRequest.State.MERGED,
                ProviderHttp.text(result, "sha"));
    }

    /** Comments on the pull request (its conversation is the issue's), then closes it. */
    @Override
    public PullRequest close(String id, String comment) {
        long number = number(id);
        PullRequest pr = get(String.valueOf(number));
        if (pr.state() == PullRequest.State.MERGED || pr.state() == PullRequest.State.CLOSED) {
            return pr;
        }
        String action = "closing pull request #" + number + " in " + slug();
        if (comment != null && !comment.isBlank()) {
            http.requireJson(http.send("POST", uri("/issues/" + number + "/comments"),
                    ProviderHttp.json().createObjectNode().put("body", comment), action), action,
                    "pull request #" + number + " in " + slug());
        }
        return toPullRequest(http.requireJson(http.send("PATCH", uri("/pulls/" + number),
                ProviderHttp.json().createObjectNode().put("state", "closed"), action), action,
                "pull request #" + number + " in " + slug()));
    }

    /**
     * The repository's open pull requests, 100 a page (a conditional request each: 304 while
     * nothing changed), then one read per followed pull request that is no longer among them
     * (merged or closed since).
     */
    @Override
    public Map<String, PullRequest> states(java.util.Collection<String> ids) {
        var wanted = new java.util.LinkedHashSet<>(ids);
        var states = new java.util.LinkedHashMap<String, PullRequest>();
        String action = "listing the open pull requests of " + slug();
        URI page = uri("/pulls?state=open&per_page=100");
        for (int pages = 0; page != null && pages < MAX_PAGES && states.size() < wanted.size(); pages++) {
            ProviderHttp.Response response = http.send("GET", page, null, action);
            for (JsonNode candidate : http.requireJson(response, action, "repository " + slug())) {
                PullRequest pr = toPullRequest(candidate);
                if (wanted.contains(pr.id())) {
                    states.put(pr.id(), pr);
                }
            }
            page = next(response.header("Link"));
        }
        for (String id : wanted) {
            if (!states.containsKey(id)) {
                states.put(id, get(id));
            }
        }
        return states;
    }

    /** The {@code rel="next"} URL of a Link header (RFC 8288), or null. */
    static URI next(String link) {
        if (link == null) {
            return null;
        }
        for (String part : link.split(",")) {
            String[] pieces = part.split(";");
            for (int i = 1; i < pieces.length; i++) {
                if (pieces[i].trim().replace(" ", "").equals("rel=\"next\"")) {
                    String target = pieces[0].trim();
                    if (target.startsWith("<") && target.endsWith(">")) {
                        return URI.create(target.substring(1, target.length() - 1));
                    }
                }
            }
        }
        return null;
    }

    /** The open pull request from {@code sourceBranch} into {@code targetBranch}, or null. */
    private PullRequest findOpen(String sourceBranch, String targetBranch, String action) {
        URI search = uri("/pulls?head=" + ProviderHttp.queryValue(owner + ":" + sourceBranch) + "&state=open");
        JsonNode list = http.requireJson(http.send("GET", search, null, action), action, "repository " + slug());
        for (JsonNode candidate : list) {
            // GitHub allows several open pull requests from one head into different bases.
            if (targetBranch.equals(ProviderHttp.text(candidate.path("base"), "ref"))) {
                return toPullRequest(candidate);
            }
        }
        return null;
    }

    private JsonNode read(long number) {
        String action = "reading pull request #" + number + " in " + slug();
        return http.requireJson(http.send("GET", uri("/pulls/" + number), null, action), action,
                "pull request #" + number + " in " + slug());
    }

    /**
     * Maps GitHub's pull-request object (full, or the shorter one in lists). {@code merged} is the
     * truth when present; {@code merged_at} only when it is absent (lists do not carry it):
     * GitHub's own example sets {@code merged_at} and {@code merge_commit_sha} on an open, unmerged
     * pull request, and on an open one {@code merge_commit_sha} is only the test merge.
     */
    static PullRequest toPullRequest(JsonNode pr) {
        JsonNode mergedNode = pr.get("merged");
        boolean merged = mergedNode != null && !mergedNode.isNull()
                ? mergedNode.asBoolean()
                : ProviderHttp.text(pr, "merged_at") != null;
        PullRequest.State state;
        if (merged) {
            state = PullRequest.State.MERGED;
        } else if ("closed".equals(ProviderHttp.text(pr, "state"))) {
            state = PullRequest.State.CLOSED;
        } else if ("dirty".equals(ProviderHttp.text(pr, "mergeable_state"))
                || pr.path("mergeable").isBoolean() && !pr.path("mergeable").asBoolean()) {
            // mergeable is null while GitHub computes it; false (state "dirty") means conflicts
            state = PullRequest.State.CONFLICTING;
        } else {
            state = PullRequest.State.OPEN;
        }
        return new PullRequest(
                ProviderHttp.text(pr, "number"),
                ProviderHttp.text(pr, "html_url"),
                ProviderHttp.text(pr.path("head"), "ref"),
                ProviderHttp.text(pr.path("base"), "ref"),
                state,
                merged ? ProviderHttp.text(pr, "merge_commit_sha") : null,
                merged ? ProviderHttp.text(pr.path("merged_by"), "login") : null);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(apiUrl + "/repos/" + ProviderHttp.pathSegment(owner) + "/"
                + ProviderHttp.pathSegment(repo) + pathAndQuery);
    }

    private String slug() {
        return owner + "/" + repo;
    }

    private long number(String id) {
        try {
            long number = Long.parseLong(Objects.requireNonNull(id, "id").strip());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new PullRequestException(http.message("'" + id + "' is not a pull request number in " + slug()),
                false, null);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
