package dev.slipway.gitops.pullrequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pull requests on Azure DevOps Repos (Services, or Server with a collection URL) through its REST
 * API, version 7.1, authenticated with a personal access token (scope Code: Read &amp; write).
 */
public final class AzureDevOpsPullRequests implements PullRequestProvider {

    static final String API_VERSION = "api-version=7.1";
    private static final int PAGE = 100;
    private static final String HEADS = "refs/heads/";
    /** How long merge() waits between looks when Azure DevOps queues the completion. */
    private static final List<Duration> COMPLETION_POLLS =
            List.of(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));

    private static final Logger log = LoggerFactory.getLogger(AzureDevOpsPullRequests.class);

    private final String organizationUrl;
    private final String project;
    private final String repository;
    private final ProviderHttp http;
    private final List<Duration> completionPolls;

    /**
     * @param organizationUrl e.g. {@code https://dev.azure.com/contoso} (or a Server collection URL)
     * @param project         the project's name or id
     * @param repository      the repository's name or id
     * @param pat             a personal access token, sent with HTTP Basic and an empty user; never logged
     */
    public AzureDevOpsPullRequests(String organizationUrl, String project, String repository, String pat) {
        this(organizationUrl, project, repository, pat, ProviderHttp.CONNECT_TIMEOUT, ProviderHttp.REQUEST_TIMEOUT,
                COMPLETION_POLLS);
    }

    AzureDevOpsPullRequests(String organizationUrl, String project, String repository, String pat,
                            Duration connectTimeout, Duration requestTimeout, List<Duration> completionPolls) {
        this.organizationUrl = ProviderHttp.trimBase(Objects.requireNonNull(organizationUrl, "organizationUrl"));
        this.project = requireText(project, "project");
        this.repository = requireText(repository, "repository");
        requireText(pat, "pat");
        String basic = Base64.getEncoder().encodeToString((":" + pat).getBytes(StandardCharsets.UTF_8));
        this.http = new ProviderHttp("Azure DevOps",
                Map.of("Authorization", "Basic " + basic, "Accept", "application/json"),
                List.of(pat, basic), connectTimeout, requestTimeout);
        this.completionPolls = List.copyOf(completionPolls);
    }

    @Override
    public PullRequest open(String sourceBranch, String targetBranch, String title, String description) {
        requireText(sourceBranch, "sourceBranch");
        requireText(targetBranch, "targetBranch");
        requireText(title, "title");
        String action = "opening a pull request from " + sourceBranch + " into " + targetBranch + " in " + where();
        ObjectNode body = ProviderHttp.json().createObjectNode()
                .put("sourceRefName", HEADS + sourceBranch)
                .put("targetRefName", HEADS + targetBranch)
                .put("title", title);
        if (description != null) {
            body.put("description", description);
        }
        ProviderHttp.Response response = http.send("POST", uri("?" + API_VERSION), body, action);
        if (response.status() == 409 || (response.status() == 400 && alreadyExists(response.json()))) {
            // TF401179: an active pull request for the source and target branch already exists:
            // a retried open. Look it up.
            PullRequest existing = findActive(sourceBranch, targetBranch, action);
            if (existing != null) {
                log.info("Azure DevOps: pull request {} from {} into {} in {} already active; returning it",
                        existing.id(), sourceBranch, targetBranch, where());
                return existing;
            }
            // refused as a duplicate but not found active: it is being completed or abandoned now
            throw new PullRequestException(http.message(action + " failed (HTTP " + response.status() + ": "
                    + ProviderHttp.serverMessage(response) + ")"), alreadyExists(response.json()), null);
        }
        return toPullRequest(http.requireJson(response, action, "repository " + where()));
    }

    @Override
    public PullRequest get(String id) {
        return toPullRequest(read(number(id)));
    }

    @Override
    public PullRequest merge(String id) {
        int number = number(id);
        JsonNode current = read(number);
        PullRequest pr = toPullRequest(current);
        if (pr.state() == PullRequest.State.MERGED) {
            return pr;
        }
        String action = "merging pull request " + number + " in " + where();
        if (pr.state() == PullRequest.State.CLOSED) {
            throw new PullRequestException(http.message(action + " failed: it was abandoned"), false, null);
        }
        String sourceCommit = ProviderHttp.text(current.path("lastMergeSourceCommit"), "commitId");
        if (sourceCommit == null) {
            throw new PullRequestException(http.message(action + " failed: Azure DevOps has not evaluated the"
                    + " source commit yet (no lastMergeSourceCommit); will retry"), true, null);
        }
        ObjectNode body = ProviderHttp.json().createObjectNode().put("status", "completed");
        // completes exactly the commit that was read (and approved); Azure DevOps refuses if the branch moved
        body.putObject("lastMergeSourceCommit").put("commitId", sourceCommit);
        body.putObject("completionOptions")
                .put("mergeStrategy", "noFastForward")
                .put("deleteSourceBranch", true);
        ProviderHttp.Response response = http.send("PATCH", uri("/" + number + "?" + API_VERSION), body, action);
        if (response.status() == 400 || response.status() == 409) {
            // refused (policies, a stale source commit, a state change) - unless a concurrent merge won
            PullRequest after = get(String.valueOf(number));
            if (after.state() == PullRequest.State.MERGED) {
                return after;
            }
        }
        PullRequest result = toPullRequest(http.requireJson(response, action, "pull request " + number + " in " + where()));
        for (Duration pause : completionPolls) {
            if (result.state() != PullRequest.State.OPEN) {
                break;
            }
            // Azure DevOps may queue the completion (completionQueueTime) and answer "active"
            sleep(pause);
            result = get(String.valueOf(number));
        }
        return switch (result.state()) {
            case MERGED -> result;
            case CONFLICTING -> throw new PullRequestException(http.message(action
                    + " failed: the source and target branches conflict"), false, null);
            case CLOSED -> throw new PullRequestException(http.message(action + " failed: it was abandoned"),
                    false, null);
            case OPEN -> throw new PullRequestException(http.message(action
                    + " not finished: the completion is queued but the pull request is still active; will retry"),
                    true, null);
        };
    }

    /** Leaves the comment as a closed thread, then abandons the pull request. */
    @Override
    public PullRequest close(String id, String comment) {
        int number = number(id);
        PullRequest pr = get(String.valueOf(number));
        if (pr.state() == PullRequest.State.MERGED || pr.state() == PullRequest.State.CLOSED) {
            return pr;
        }
        String action = "abandoning pull request " + number + " in " + where();
        if (comment != null && !comment.isBlank()) {
            ObjectNode thread = ProviderHttp.json().createObjectNode().put("status", "closed");
            thread.putArray("comments").addObject().put("parentCommentId", 0).put("content", comment)
                    .put("commentType", "text");
            http.requireJson(http.send("POST", uri("/" + number + "/threads?" + API_VERSION), thread, action), action,
                    "pull request " + number + " in " + where());
        }
        ObjectNode body = ProviderHttp.json().createObjectNode().put("status", "abandoned");
        return toPullRequest(http.requireJson(http.send("PATCH", uri("/" + number + "?" + API_VERSION), body, action),
                action, "pull request " + number + " in " + where()));
    }

    /** The active pull request from {@code sourceBranch} into {@code targetBranch}, or null. */
    private PullRequest findActive(String sourceBranch, String targetBranch, String action) {
        URI search = uri("?searchCriteria.sourceRefName=" + ProviderHttp.queryValue(HEADS + sourceBranch)
                + "&searchCriteria.status=active&" + API_VERSION);
        JsonNode list = http.requireJson(http.send("GET", search, null, action), action, "repository " + where());
        for (JsonNode candidate : list.path("value")) {
            if ((HEADS + targetBranch).equals(ProviderHttp.text(candidate, "targetRefName"))) {
                return toPullRequest(candidate);
            }
        }
        return null;
    }

    private JsonNode read(int number) {
        String action = "reading pull request " + number + " in " + where();
        return http.requireJson(http.send("GET", uri("/" + number + "?" + API_VERSION), null, action), action,
                "pull request " + number + " in " + where());
    }

    /**
     * The repository's active pull requests, 100 a page ({@code $top}/{@code $skip}), then one read
     * per followed pull request no longer among them (completed or abandoned since).
     */
    @Override
    public Map<String, PullRequest> states(java.util.Collection<String> ids) {
        var wanted = new java.util.LinkedHashSet<>(ids);
        var states = new java.util.LinkedHashMap<String, PullRequest>();
        String action = "listing the active pull requests of " + where();
        for (int skip = 0; skip < 10 * PAGE && states.size() < wanted.size(); skip += PAGE) {
            JsonNode page = http.requireJson(http.send("GET", uri("?searchCriteria.status=active&$top=" + PAGE
                    + "&$skip=" + skip + "&" + API_VERSION), null, action), action, where());
            JsonNode values = page.path("value");
            for (JsonNode candidate : values) {
                PullRequest pr = toPullRequest(candidate);
                if (wanted.contains(pr.id())) {
                    states.put(pr.id(), pr);
                }
            }
            if (values.size() < PAGE) {
                break;
            }
        }
        for (String id : wanted) {
            if (!states.containsKey(id)) {
                states.put(id, get(id));
            }
        }
        return states;
    }

    /**
     * Maps Azure DevOps' GitPullRequest. {@code status} says active, completed (merged) or
     * abandoned; {@code mergeStatus} only describes the merge preview ("conflicts" on an active
     * pull request means it cannot be completed), and an active pull request already carries a
     * preview {@code lastMergeCommit}: it is the merge commit only once completed.
     */
    PullRequest toPullRequest(JsonNode pr) {
        String status = ProviderHttp.text(pr, "status");
        PullRequest.State state = switch (status == null ? "" : status) {
            case "completed" -> PullRequest.State.MERGED;
            case "abandoned" -> PullRequest.State.CLOSED;
            default -> "conflicts".equals(ProviderHttp.text(pr, "mergeStatus"))
                    ? PullRequest.State.CONFLICTING
                    : PullRequest.State.OPEN;
        };
        if (!"active".equals(status) && state == PullRequest.State.OPEN) {
            log.warn("Azure DevOps: pull request {} has status '{}'; treating it as open",
                    ProviderHttp.text(pr, "pullRequestId"), status);
        }
        String id = ProviderHttp.text(pr, "pullRequestId");
        return new PullRequest(
                id,
                webUrl(pr.path("repository"), id),
                stripHeads(ProviderHttp.text(pr, "sourceRefName")),
                stripHeads(ProviderHttp.text(pr, "targetRefName")),
                state,
                state == PullRequest.State.MERGED ? ProviderHttp.text(pr.path("lastMergeCommit"), "commitId") : null,
                state == PullRequest.State.OPEN || state == PullRequest.State.CONFLICTING ? null
                        : ProviderHttp.text(pr.path("closedBy"), "uniqueName"));
    }

    /**
     * The page a person opens: {@code {org}/{project}/_git/{repo}/pullrequest/{id}}. The API's own
     * {@code url} is an API address. Names from the answer are preferred to the configured values,
     * which may be ids.
     */
    private String webUrl(JsonNode repo, String id) {
        String projectName = Objects.requireNonNullElse(ProviderHttp.text(repo.path("project"), "name"), project);
        String repoName = Objects.requireNonNullElse(ProviderHttp.text(repo, "name"), repository);
        return organizationUrl + "/" + ProviderHttp.pathSegment(projectName) + "/_git/"
                + ProviderHttp.pathSegment(repoName) + "/pullrequest/" + id;
    }

    private URI uri(String suffix) {
        return URI.create(organizationUrl + "/" + ProviderHttp.pathSegment(project) + "/_apis/git/repositories/"
                + ProviderHttp.pathSegment(repository) + "/pullrequests" + suffix);
    }

    private String where() {
        return project + "/" + repository;
    }

    private static boolean alreadyExists(JsonNode error) {
        String typeKey = ProviderHttp.text(error, "typeKey");
        String message = ProviderHttp.text(error, "message");
        return "GitPullRequestExistsException".equals(typeKey) || message != null && message.startsWith("TF401179");
    }

    private static String stripHeads(String ref) {
        return ref != null && ref.startsWith(HEADS) ? ref.substring(HEADS.length()) : ref;
    }

    private int number(String id) {
        try {
            int number = Integer.parseInt(Objects.requireNonNull(id, "id").strip());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new PullRequestException(http.message("'" + id + "' is not a pull request id in " + where()),
                false, null);
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullRequestException(http.message("merge interrupted while waiting for completion"), true, e);
        }
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
