package dev.slipway.gitops.pullrequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link GitHubPullRequests} against WireMock serving GitHub's own examples
 * ({@code fixtures/github}): pull request #1347 of octocat/Hello-World, head
 * {@code new-topic}, base {@code master}.
 */
class GitHubPullRequestsTest {

    private static final String TOKEN = "ghp_SlipwayTestToken0123456789abcdef";
    private static final String PULLS = "/repos/octocat/Hello-World/pulls";
    private static final String HTML_URL = "https://github.com/octocat/Hello-World/pull/1347";
    private static final String HEAD_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

    private static WireMockServer wireMock;
    private GitHubPullRequests github;

    @BeforeAll
    static void startWireMock() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
    }

    @AfterAll
    static void stopWireMock() {
        wireMock.stop();
    }

    @BeforeEach
    void setUp() {
        wireMock.resetAll();
        github = new GitHubPullRequests(wireMock.baseUrl(), "octocat", "Hello-World", TOKEN);
    }

    // ---- open ---------------------------------------------------------------------------------

    @Test
    void open_posts_title_head_base_body_with_github_headers_and_maps_the_created_pull_request() {
        wireMock.stubFor(post(PULLS).willReturn(json(201, pullRequest())));

        PullRequest pr = github.open("new-topic", "master", "Amazing new feature",
                "Please pull these awesome changes in!");

        wireMock.verify(1, postRequestedFor(urlEqualTo(PULLS))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/vnd.github+json"))
                .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"title": "Amazing new feature", "head": "new-topic", "base": "master",
                         "body": "Please pull these awesome changes in!"}""")));
        // The example is open with merged=false but carries merged_at and merge_commit_sha
        // (PROVENANCE.md: internally inconsistent): merged=false wins, and an open pull request's
        // merge_commit_sha is only GitHub's test merge, so no SHA is reported.
        assertThat(pr).isEqualTo(new PullRequest("1347", HTML_URL, "new-topic", "master",
                PullRequest.State.OPEN, null));
    }

    @Test
    void open_without_description_sends_no_body_field() {
        wireMock.stubFor(post(PULLS).willReturn(json(201, pullRequest())));

        github.open("new-topic", "master", "Amazing new feature", null);

        wireMock.verify(postRequestedFor(urlEqualTo(PULLS)).withRequestBody(equalToJson("""
                {"title": "Amazing new feature", "head": "new-topic", "base": "master"}""")));
    }

    @Test
    void open_again_after_422_already_exists_returns_the_open_pull_request_for_that_head_and_base() {
        wireMock.stubFor(post(PULLS).willReturn(json(422, alreadyExists())));
        // The list endpoint returns an array of (shorter) pull-request objects: derived from the
        // example by wrapping it in an array, next to a copy whose base.ref is changed to "release"
        // (GitHub allows open pull requests from one head into several bases).
        ObjectNode otherBase = pullRequest();
        otherBase.put("number", 1348).put("html_url", "https://github.com/octocat/Hello-World/pull/1348");
        ((ObjectNode) otherBase.path("base")).put("ref", "release");
        ArrayNode list = Fixtures.JSON.createArrayNode().add(otherBase).add(pullRequest());
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).willReturn(json(200, list)));

        PullRequest pr = github.open("new-topic", "master", "Amazing new feature", "again");

        assertThat(pr.id()).isEqualTo("1347");
        assertThat(pr.url()).isEqualTo(HTML_URL);
        assertThat(pr.state()).isEqualTo(PullRequest.State.OPEN);
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(PULLS))
                .withQueryParam("head", equalTo("octocat:new-topic"))
                .withQueryParam("state", equalTo("open"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void open_refused_with_422_for_another_reason_is_not_retryable_and_carries_githubs_message() {
        wireMock.stubFor(post(PULLS).willReturn(json(422, """
                {"message": "Validation Failed",
                 "errors": [{"resource": "PullRequest", "code": "custom",
                             "message": "No commits between master and new-topic"}],
                 "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"}""")));
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).willReturn(json(200, "[]")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class,
                () -> github.open("new-topic", "master", "t", "d"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("No commits between master and new-topic").doesNotContain(TOKEN);
    }

    // ---- get: mapping of each state --------------------------------------------------------------

    @Test
    void get_maps_the_example_as_open() {
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, pullRequest())));

        assertThat(github.get("1347")).isEqualTo(new PullRequest("1347", HTML_URL, "new-topic", "master",
                PullRequest.State.OPEN, null));
        wireMock.verify(getRequestedFor(urlEqualTo(PULLS + "/1347"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/vnd.github+json"))
                .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28")));
    }

    @Test
    void get_maps_a_merged_pull_request_with_its_merge_commit() {
        // derived: merged=true and state=closed (the example already has merged_at and merge_commit_sha)
        ObjectNode merged = pullRequest().put("merged", true).put("state", "closed");
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, merged)));

        PullRequest pr = github.get("1347");

        assertThat(pr.state()).isEqualTo(PullRequest.State.MERGED);
        assertThat(pr.mergeCommitSha()).isEqualTo("e5bd3914e2e596debea16f433f57875b5b90bcd6");
    }

    @Test
    void get_falls_back_to_merged_at_when_merged_is_absent() {
        // derived: without "merged" (as in list items), merged_at (set in the example) decides
        ObjectNode noMergedField = pullRequest().put("state", "closed");
        noMergedField.remove("merged");
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, noMergedField)));

        assertThat(github.get("1347").state()).isEqualTo(PullRequest.State.MERGED);
    }

    @Test
    void get_maps_a_closed_unmerged_pull_request() {
        // derived: state=closed (merged stays false as in the example)
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, pullRequest().put("state", "closed"))));

        PullRequest pr = github.get("1347");

        assertThat(pr.state()).isEqualTo(PullRequest.State.CLOSED);
        assertThat(pr.mergeCommitSha()).isNull();
    }

    @Test
    void get_maps_a_dirty_pull_request_as_conflicting() {
        // derived: mergeable=false, mergeable_state=dirty (what GitHub reports for conflicts)
        ObjectNode dirty = pullRequest().put("mergeable", false).put("mergeable_state", "dirty");
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, dirty)));

        assertThat(github.get("1347").state()).isEqualTo(PullRequest.State.CONFLICTING);
    }

    @Test
    void get_keeps_a_pull_request_open_while_github_computes_mergeability() {
        // derived: mergeable=null, mergeable_state=unknown (GitHub computes them asynchronously)
        ObjectNode computing = pullRequest().put("mergeable_state", "unknown");
        computing.putNull("mergeable");
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, computing)));

        assertThat(github.get("1347").state()).isEqualTo(PullRequest.State.OPEN);
    }

    @Test
    void get_with_an_id_that_is_not_a_number_fails_without_calling_github() {
        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> github.get("feature/x"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("feature/x");
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @Test
    void enterprise_server_api_url_with_a_path_prefix() {
        github = new GitHubPullRequests(wireMock.baseUrl() + "/api/v3/", "octocat", "Hello-World", TOKEN);
        wireMock.stubFor(get("/api/v3" + PULLS + "/1347").willReturn(json(200, pullRequest())));

        assertThat(github.get("1347").id()).isEqualTo("1347");
    }

    // ---- merge ----------------------------------------------------------------------------------

    @Test
    void merge_puts_merge_method_merge_for_the_head_that_was_read_and_returns_the_merged_pull_request() {
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, pullRequest())));
        wireMock.stubFor(put(PULLS + "/1347/merge").willReturn(json(200,
                Fixtures.github("pull-request-merge-result-response-if-merge-was-successful.example.json"))));

        PullRequest pr = github.merge("1347");

        wireMock.verify(1, putRequestedFor(urlEqualTo(PULLS + "/1347/merge"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
                .withRequestBody(equalToJson("""
                        {"merge_method": "merge", "sha": "%s"}""".formatted(HEAD_SHA))));
        // the merge result's sha is the merge commit on the base branch
        assertThat(pr).isEqualTo(new PullRequest("1347", HTML_URL, "new-topic", "master",
                PullRequest.State.MERGED, "6dcb09b5b57875f334f61aebed695e2e4193db5e"));
    }

    @Test
    void merge_of_an_already_merged_pull_request_returns_it_without_merging_again() {
        // derived: merged=true, state=closed
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200,
                pullRequest().put("merged", true).put("state", "closed"))));

        PullRequest pr = github.merge("1347");

        assertThat(pr.state()).isEqualTo(PullRequest.State.MERGED);
        assertThat(pr.mergeCommitSha()).isEqualTo("e5bd3914e2e596debea16f433f57875b5b90bcd6");
        wireMock.verify(0, putRequestedFor(urlPathEqualTo(PULLS + "/1347/merge")));
    }

    @Test
    void close_comments_on_the_conversation_then_closes_the_pull_request() {
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, pullRequest())));
        wireMock.stubFor(post("/repos/octocat/Hello-World/issues/1347/comments").willReturn(json(201, "{\"id\": 1}")));
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.patch(urlEqualTo(PULLS + "/1347"))
                .willReturn(json(200, pullRequest().put("state", "closed"))));

        PullRequest pr = github.close("1347", "Superseded by promotion 42");

        wireMock.verify(1, postRequestedFor(urlEqualTo("/repos/octocat/Hello-World/issues/1347/comments"))
                .withRequestBody(equalToJson("{\"body\": \"Superseded by promotion 42\"}")));
        wireMock.verify(1, com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(urlEqualTo(PULLS + "/1347"))
                .withRequestBody(equalToJson("{\"state\": \"closed\"}")));
        assertThat(pr.state()).isEqualTo(PullRequest.State.CLOSED);
    }

    @Test
    void a_merged_pull_request_says_who_merged_it() {
        // derived: merged=true, state=closed; merged_by is the example's own
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200,
                pullRequest().put("merged", true).put("state", "closed"))));

        PullRequest pr = github.close("1347", "too late");

        assertThat(pr.state()).isEqualTo(PullRequest.State.MERGED);
        assertThat(pr.mergedBy()).isEqualTo("octocat");
        wireMock.verify(0, postRequestedFor(urlPathEqualTo("/repos/octocat/Hello-World/issues/1347/comments")));
    }

    @Test
    void merge_of_a_closed_pull_request_fails_without_merging() {
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, pullRequest().put("state", "closed"))));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> github.merge("1347"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("closed");
        wireMock.verify(0, putRequestedFor(urlPathEqualTo(PULLS + "/1347/merge")));
    }

    @ParameterizedTest
    @ValueSource(ints = {405, 409})
    void merge_refused_is_not_retryable_and_carries_githubs_message(int status) {
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, pullRequest())));
        String message = status == 405 ? "Pull Request is not mergeable"
                : "Head branch was modified. Review and try the merge again.";
        wireMock.stubFor(put(PULLS + "/1347/merge").willReturn(json(status, """
                {"message": "%s",
                 "documentation_url": "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request"}"""
                .formatted(message))));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> github.merge("1347"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains(message).contains(String.valueOf(status)).doesNotContain(TOKEN);
    }

    @Test
    void merge_refused_because_a_concurrent_merge_won_returns_the_merged_pull_request() {
        // first read: open (the example); after the 405, the read shows it merged (derived: merged=true)
        wireMock.stubFor(get(PULLS + "/1347").inScenario("race").whenScenarioStateIs("Started")
                .willReturn(json(200, pullRequest())).willSetStateTo("merged elsewhere"));
        wireMock.stubFor(get(PULLS + "/1347").inScenario("race").whenScenarioStateIs("merged elsewhere")
                .willReturn(json(200, pullRequest().put("merged", true).put("state", "closed"))));
        wireMock.stubFor(put(PULLS + "/1347/merge").willReturn(json(405, """
                {"message": "Pull Request is not mergeable"}""")));

        assertThat(github.merge("1347").state()).isEqualTo(PullRequest.State.MERGED);
    }

    // ---- error classification -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void unauthorized_or_forbidden_is_not_retryable_and_says_the_token_lacks_access(int status) {
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(status, """
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                 "status": "%d"}""".formatted(status))));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> github.get("1347"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("token lacks access").contains("octocat/Hello-World")
                .doesNotContain(TOKEN);
    }

    @Test
    void not_found_is_not_retryable_and_names_the_pull_request_and_repository() {
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(404, """
                {"message": "Not Found", "documentation_url": "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
                 "status": "404"}""")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> github.get("1347"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("pull request #1347 in octocat/Hello-World").contains("not found");
    }

    @Test
    void open_in_a_repository_that_does_not_exist_names_the_repository() {
        wireMock.stubFor(post(PULLS).willReturn(json(404, "{\"message\": \"Not Found\"}")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class,
                () -> github.open("new-topic", "master", "t", "d"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("repository octocat/Hello-World").contains("not found");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 429})
    void server_errors_and_throttling_are_retryable(int status) {
        wireMock.stubFor(post(PULLS).willReturn(aResponse().withStatus(status).withHeader("Retry-After", "30")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class,
                () -> github.open("new-topic", "master", "t", "d"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains(String.valueOf(status)).contains("not before");
        assertThat(e.retryAfter()).isPresent();
    }

    @Test
    void exhausted_primary_rate_limit_403_is_retryable() {
        wireMock.stubFor(get(PULLS + "/1347").willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-RateLimit-Remaining", "0")
                .withBody("{\"message\": \"API rate limit exceeded for installation ID 1.\"}")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> github.get("1347"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("API rate limit exceeded");
    }

    @Test
    void connection_refused_is_retryable() {
        github = new GitHubPullRequests("http://127.0.0.1:" + Fixtures.closedPort(), "octocat", "Hello-World", TOKEN);

        assertThatThrownBy(() -> github.get("1347"))
                .isInstanceOfSatisfying(PullRequestException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("cannot connect").doesNotContain(TOKEN);
                });
    }

    @Test
    void a_server_that_does_not_answer_in_time_is_retryable() {
        github = new GitHubPullRequests(wireMock.baseUrl(), "octocat", "Hello-World", TOKEN,
                Duration.ofSeconds(10), Duration.ofMillis(300));
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(200, pullRequest()).withFixedDelay(2_000)));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> github.get("1347"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("did not answer in time");
    }

    @Test
    void a_token_echoed_by_the_server_is_scrubbed_from_messages() {
        wireMock.stubFor(get(PULLS + "/1347").willReturn(json(400, """
                {"message": "token %s is malformed"}""".formatted(TOKEN))));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> github.get("1347"));

        assertThat(e.getMessage()).contains("token *** is malformed").doesNotContain(TOKEN);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A fresh copy of GitHub's pull-request example. */
    private static ObjectNode pullRequest() {
        return Fixtures.github("pull-request.example.json");
    }

    /**
     * GitHub's answer when an open pull request for the head and base exists: no fixture holds it;
     * this is the documented validation-error shape with the message GitHub sends.
     */
    private static String alreadyExists() {
        return """
                {"message": "Validation Failed",
                 "errors": [{"resource": "PullRequest", "code": "custom",
                             "message": "A pull request already exists for octocat:new-topic."}],
                 "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                 "status": "422"}""";
    }

    private static ResponseDefinitionBuilder json(int status, Object body) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body instanceof String s ? s : Fixtures.text((JsonNode) body));
    }
}
