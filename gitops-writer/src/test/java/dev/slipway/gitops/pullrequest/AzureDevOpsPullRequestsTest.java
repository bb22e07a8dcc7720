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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link AzureDevOpsPullRequests} against WireMock serving Microsoft's own 7.1 examples
 * ({@code fixtures/azure-devops}): organisation fabrikam, project and repository
 * {@code 2016_10_31} (repository id 3411ebc1-…), pull requests 20 (completed), 21 and 22 (active).
 */
class AzureDevOpsPullRequestsTest {

    private static final String PAT = "slipwaytestpat0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String BASIC = "Basic "
            + Base64.getEncoder().encodeToString((":" + PAT).getBytes(StandardCharsets.UTF_8));
    private static final String REPO_ID = "3411ebc1-d5aa-464f-9615-0b527bc66719";
    private static final String PULLS = "/fabrikam/2016_10_31/_apis/git/repositories/" + REPO_ID + "/pullrequests";
    private static final String V = "?api-version=7.1";

    private static final String CREATE = "POST__git_repositories__repositoryId__pullRequests.json";
    private static final String GET_ONE = "GET__git_repositories__repositoryId__pullRequests__pullRequestId_.json";
    private static final String LIST_COMPLETED = "GET__git_repositories__repositoryId__pullRequests_status-completed.json";
    private static final String UPDATE = "PATCH__git_repositories__repositoryId__pullRequests__autoCompletePullRequestId_.json";

    private static WireMockServer wireMock;
    private String organizationUrl;
    private AzureDevOpsPullRequests azure;

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
        organizationUrl = wireMock.baseUrl() + "/fabrikam";
        // the repository by id, as the examples address it; short completion polls for the tests
        azure = provider("2016_10_31", REPO_ID, Duration.ofSeconds(30));
    }

    private AzureDevOpsPullRequests provider(String project, String repository, Duration requestTimeout) {
        return new AzureDevOpsPullRequests(organizationUrl, project, repository, PAT, Duration.ofSeconds(10),
                requestTimeout, List.of(Duration.ofMillis(10), Duration.ofMillis(10)));
    }

    private String webUrl(int id) {
        return organizationUrl + "/2016_10_31/_git/2016_10_31/pullrequest/" + id;
    }

    // ---- open ---------------------------------------------------------------------------------

    @Test
    void open_posts_refs_title_description_with_basic_auth_and_maps_the_created_pull_request() {
        wireMock.stubFor(post(PULLS + V).willReturn(json(201, Fixtures.azureResponse(CREATE, 201))));

        PullRequest pr = azure.open("npaulk/my_work", "new_feature", "A new feature", "Adding a new feature");

        wireMock.verify(1, postRequestedFor(urlEqualTo(PULLS + V))
                .withHeader("Authorization", equalTo(BASIC))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"sourceRefName": "refs/heads/npaulk/my_work", "targetRefName": "refs/heads/new_feature",
                         "title": "A new feature", "description": "Adding a new feature"}""")));
        // the web page, not the API "url" of the answer; names from the answer although the
        // provider was configured with the repository's id
        assertThat(pr).isEqualTo(new PullRequest("22", webUrl(22), "npaulk/my_work", "new_feature",
                PullRequest.State.OPEN, null));
    }

    @Test
    void the_request_body_matches_the_official_example_apart_from_reviewers() {
        wireMock.stubFor(post(PULLS + V).willReturn(json(201, Fixtures.azureResponse(CREATE, 201))));
        ObjectNode exampleRequest = (ObjectNode) Fixtures.azureExample(CREATE).path("parameters").path("body").deepCopy();
        exampleRequest.remove("reviewers"); // Slipway names no reviewers: branch policies do

        azure.open("npaulk/my_work", "new_feature", "A new feature", "Adding a new feature");

        wireMock.verify(postRequestedFor(urlEqualTo(PULLS + V)).withRequestBody(equalToJson(Fixtures.text(exampleRequest))));
    }

    @ParameterizedTest
    @ValueSource(ints = {409, 400})
    void open_again_after_tf401179_returns_the_active_pull_request_for_those_branches(int status) {
        // the refusal is not in the fixtures: Azure DevOps' error shape with its TF401179 message
        wireMock.stubFor(post(PULLS + V).willReturn(json(status, """
                {"$id": "1", "innerException": null,
                 "message": "TF401179: An active pull request for the source and target branch already exists.",
                 "typeName": "Microsoft.TeamFoundation.Git.Server.GitPullRequestExistsException, Microsoft.TeamFoundation.Git.Server",
                 "typeKey": "GitPullRequestExistsException", "errorCode": 0, "eventId": 3000}""")));
        // derived: the real list envelope ({value, count}) of the list example, holding the real
        // active pull request 22 of the GET example, after a copy of it whose only changes are
        // id 23 and targetRefName refs/heads/release (another target from the same source)
        ObjectNode active = Fixtures.azureResponse(GET_ONE, 200);
        ObjectNode otherTarget = active.deepCopy().put("pullRequestId", 23).put("targetRefName", "refs/heads/release");
        ObjectNode list = Fixtures.azureResponse(LIST_COMPLETED, 200);
        ((ArrayNode) list.path("value")).removeAll().add(otherTarget).add(active);
        list.put("count", 2);
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).willReturn(json(200, list)));

        PullRequest pr = azure.open("npaulk/my_work", "new_feature", "A new feature", "Adding a new feature");

        assertThat(pr).isEqualTo(new PullRequest("22", webUrl(22), "npaulk/my_work", "new_feature",
                PullRequest.State.OPEN, null));
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(PULLS))
                .withQueryParam("searchCriteria.sourceRefName", equalTo("refs/heads/npaulk/my_work"))
                .withQueryParam("searchCriteria.status", equalTo("active"))
                .withQueryParam("api-version", equalTo("7.1"))
                .withHeader("Authorization", equalTo(BASIC)));
    }

    @Test
    void open_refused_for_another_reason_is_not_retryable_and_carries_azures_message() {
        wireMock.stubFor(post(PULLS + V).willReturn(json(400, """
                {"$id": "1", "innerException": null,
                 "message": "TF401398: The pull request cannot be activated because the source and/or the target branch no longer exists, or the requested refs are not branches",
                 "typeKey": "InvalidArgumentValueException", "errorCode": 0, "eventId": 3000}""")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class,
                () -> azure.open("gone", "new_feature", "t", "d"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("TF401398").doesNotContain(PAT);
        wireMock.verify(0, getRequestedFor(urlPathEqualTo(PULLS)));
    }

    // ---- get: mapping of each state --------------------------------------------------------------

    @Test
    void get_maps_the_active_example_as_open_without_the_preview_merge_commit() {
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200, Fixtures.azureResponse(GET_ONE, 200))));

        PullRequest pr = azure.get("22");

        // lastMergeCommit 39f52d24… of an active pull request is the merge preview, not on the target
        assertThat(pr).isEqualTo(new PullRequest("22", webUrl(22), "npaulk/my_work", "new_feature",
                PullRequest.State.OPEN, null));
        wireMock.verify(getRequestedFor(urlEqualTo(PULLS + "/22" + V)).withHeader("Authorization", equalTo(BASIC)));
    }

    @Test
    void get_maps_the_completed_example_as_merged_with_its_merge_commit() {
        // the completed pull request 20 is value[0] of the real list example
        JsonNode completed = Fixtures.azureResponse(LIST_COMPLETED, 200).path("value").get(0);
        wireMock.stubFor(get(PULLS + "/20" + V).willReturn(json(200, completed)));

        assertThat(azure.get("20")).isEqualTo(new PullRequest("20", webUrl(20), "npaulk/my_work", "new_feature",
                PullRequest.State.MERGED, "1e924c570d532d92c12e955b9f8948935f54944e"));
    }

    @Test
    void get_maps_an_abandoned_pull_request_as_closed() {
        // derived: status=abandoned (no example of it exists)
        ObjectNode abandoned = Fixtures.azureResponse(GET_ONE, 200).put("status", "abandoned");
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200, abandoned)));

        PullRequest pr = azure.get("22");

        assertThat(pr.state()).isEqualTo(PullRequest.State.CLOSED);
        assertThat(pr.mergeCommitSha()).isNull();
    }

    @Test
    void get_maps_an_active_pull_request_with_merge_conflicts_as_conflicting() {
        // derived: mergeStatus=conflicts
        ObjectNode conflicting = Fixtures.azureResponse(GET_ONE, 200).put("mergeStatus", "conflicts");
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200, conflicting)));

        assertThat(azure.get("22").state()).isEqualTo(PullRequest.State.CONFLICTING);
    }

    @Test
    void names_with_spaces_are_encoded_in_the_api_path_and_the_web_url() {
        azure = provider("Fabrikam Fiber", "Fiber App", Duration.ofSeconds(30));
        // derived: repository.name and repository.project.name changed to names with spaces
        ObjectNode pr = Fixtures.azureResponse(GET_ONE, 200);
        ((ObjectNode) pr.path("repository")).put("name", "Fiber App");
        ((ObjectNode) pr.path("repository").path("project")).put("name", "Fabrikam Fiber");
        wireMock.stubFor(get("/fabrikam/Fabrikam%20Fiber/_apis/git/repositories/Fiber%20App/pullrequests/22" + V)
                .willReturn(json(200, pr)));

        assertThat(azure.get("22").url()).isEqualTo(organizationUrl + "/Fabrikam%20Fiber/_git/Fiber%20App/pullrequest/22");
    }

    @Test
    void get_with_an_id_that_is_not_a_number_fails_without_calling_azure_devops() {
        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.get("npaulk/my_work"));

        assertThat(e.retryable()).isFalse();
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    // ---- merge ----------------------------------------------------------------------------------

    @Test
    void merge_patches_completed_for_the_source_commit_that_was_read_and_returns_the_merged_pull_request() {
        ObjectNode active = Fixtures.azureResponse(GET_ONE, 200);
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200, active)));
        // derived: the same pull request with status=completed, as the PATCH answers when it completes
        wireMock.stubFor(patch(urlEqualTo(PULLS + "/22" + V))
                .willReturn(json(200, active.deepCopy().put("status", "completed"))));

        PullRequest pr = azure.merge("22");

        wireMock.verify(1, patchRequestedFor(urlEqualTo(PULLS + "/22" + V))
                .withHeader("Authorization", equalTo(BASIC))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"status": "completed",
                         "lastMergeSourceCommit": {"commitId": "b60280bc6e62e2f880f1b63c1e24987664d3bda3"},
                         "completionOptions": {"mergeStrategy": "noFastForward", "deleteSourceBranch": true}}""")));
        assertThat(pr).isEqualTo(new PullRequest("22", webUrl(22), "npaulk/my_work", "new_feature",
                PullRequest.State.MERGED, "39f52d24533cc712fc845ed9fd1b6c06b3942588"));
    }

    @Test
    void merge_waits_while_azure_devops_queues_the_completion() {
        // pull request 21 as the real Update example answers it: still active (auto-complete set)
        ObjectNode active = Fixtures.azureResponse(UPDATE, 200);
        wireMock.stubFor(get(PULLS + "/21" + V).inScenario("completion").whenScenarioStateIs("Started")
                .willReturn(json(200, active)));
        wireMock.stubFor(patch(urlEqualTo(PULLS + "/21" + V)).inScenario("completion")
                .willReturn(json(200, active)).willSetStateTo("queued"));
        // derived: after the completion ran, the same pull request with status=completed
        wireMock.stubFor(get(PULLS + "/21" + V).inScenario("completion").whenScenarioStateIs("queued")
                .willReturn(json(200, active.deepCopy().put("status", "completed"))));

        PullRequest pr = azure.merge("21");

        assertThat(pr.state()).isEqualTo(PullRequest.State.MERGED);
        assertThat(pr.mergeCommitSha()).isEqualTo("bf27525b51b5347483ed9d7dc52ce5a3cf2b045a");
        assertThat(pr.sourceBranch()).isEqualTo("npaulk/known_issues");
        wireMock.verify(patchRequestedFor(urlEqualTo(PULLS + "/21" + V)).withRequestBody(equalToJson("""
                {"status": "completed",
                 "lastMergeSourceCommit": {"commitId": "05ce817c4692afc93c1eb952643bdf7ffbab18ee"},
                 "completionOptions": {"mergeStrategy": "noFastForward", "deleteSourceBranch": true}}""")));
    }

    @Test
    void merge_that_stays_queued_is_retryable() {
        ObjectNode active = Fixtures.azureResponse(UPDATE, 200);
        wireMock.stubFor(get(PULLS + "/21" + V).willReturn(json(200, active)));
        wireMock.stubFor(patch(urlEqualTo(PULLS + "/21" + V)).willReturn(json(200, active)));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.merge("21"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("still active");
    }

    @Test
    void merge_of_a_completed_pull_request_returns_it_without_patching() {
        JsonNode completed = Fixtures.azureResponse(LIST_COMPLETED, 200).path("value").get(0);
        wireMock.stubFor(get(PULLS + "/20" + V).willReturn(json(200, completed)));

        PullRequest pr = azure.merge("20");

        assertThat(pr.state()).isEqualTo(PullRequest.State.MERGED);
        assertThat(pr.mergeCommitSha()).isEqualTo("1e924c570d532d92c12e955b9f8948935f54944e");
        wireMock.verify(0, patchRequestedFor(urlPathEqualTo(PULLS + "/20")));
    }

    @Test
    void close_leaves_the_comment_as_a_closed_thread_then_abandons_the_pull_request() {
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200, Fixtures.azureResponse(GET_ONE, 200))));
        wireMock.stubFor(post(PULLS + "/22/threads" + V).willReturn(json(200, "{\"id\": 7}")));
        // derived: status=abandoned
        wireMock.stubFor(patch(urlEqualTo(PULLS + "/22" + V)).willReturn(json(200,
                Fixtures.azureResponse(GET_ONE, 200).put("status", "abandoned"))));

        PullRequest pr = azure.close("22", "Superseded by promotion 42");

        wireMock.verify(1, postRequestedFor(urlEqualTo(PULLS + "/22/threads" + V)).withRequestBody(equalToJson("""
                {"status": "closed", "comments": [{"parentCommentId": 0, "content": "Superseded by promotion 42",
                 "commentType": "text"}]}""")));
        wireMock.verify(1, patchRequestedFor(urlEqualTo(PULLS + "/22" + V))
                .withRequestBody(equalToJson("{\"status\": \"abandoned\"}")));
        assertThat(pr.state()).isEqualTo(PullRequest.State.CLOSED);
    }

    @Test
    void close_of_a_completed_pull_request_changes_nothing_and_says_who_completed_it() {
        // derived: closedBy, as GitPullRequest documents it, added to the completed example
        var completed = (com.fasterxml.jackson.databind.node.ObjectNode) Fixtures.azureResponse(LIST_COMPLETED, 200)
                .path("value").get(0);
        completed.putObject("closedBy").put("uniqueName", "quinn@fabrikam.example");
        wireMock.stubFor(get(PULLS + "/20" + V).willReturn(json(200, completed)));

        PullRequest pr = azure.close("20", "too late");

        assertThat(pr.state()).isEqualTo(PullRequest.State.MERGED);
        assertThat(pr.mergedBy()).isEqualTo("quinn@fabrikam.example");
        wireMock.verify(0, patchRequestedFor(urlPathEqualTo(PULLS + "/20")));
        wireMock.verify(0, postRequestedFor(urlPathEqualTo(PULLS + "/20/threads")));
    }

    @Test
    void merge_of_an_abandoned_pull_request_fails_without_patching() {
        // derived: status=abandoned
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200,
                Fixtures.azureResponse(GET_ONE, 200).put("status", "abandoned"))));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.merge("22"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("abandoned");
        wireMock.verify(0, patchRequestedFor(urlPathEqualTo(PULLS + "/22")));
    }

    @Test
    void merge_of_a_conflicting_pull_request_is_not_retryable() {
        // derived: mergeStatus=conflicts, in the read and in the PATCH answer
        ObjectNode conflicting = Fixtures.azureResponse(GET_ONE, 200).put("mergeStatus", "conflicts");
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200, conflicting)));
        wireMock.stubFor(patch(urlEqualTo(PULLS + "/22" + V)).willReturn(json(200, conflicting)));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.merge("22"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("conflict");
    }

    @Test
    void merge_refused_is_not_retryable_and_carries_azures_message() {
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200, Fixtures.azureResponse(GET_ONE, 200))));
        // not in the fixtures: Azure DevOps' error shape; the message text is illustrative
        wireMock.stubFor(patch(urlEqualTo(PULLS + "/22" + V)).willReturn(json(409, """
                {"$id": "1", "innerException": null,
                 "message": "The source branch was updated after lastMergeSourceCommit.",
                 "typeKey": "GitPullRequestStaleException", "errorCode": 0, "eventId": 3000}""")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.merge("22"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("The source branch was updated after lastMergeSourceCommit")
                .contains("409").doesNotContain(PAT);
    }

    // ---- error classification -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void unauthorized_or_forbidden_is_not_retryable_and_says_the_token_lacks_access(int status) {
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(status, """
                {"$id": "1", "innerException": null,
                 "message": "TF400813: The user '' is not authorized to access this resource.",
                 "typeName": "Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server",
                 "typeKey": "UnauthorizedRequestException", "errorCode": 0, "eventId": 3000}""")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.get("22"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("token lacks access").contains("TF400813")
                .doesNotContain(PAT).doesNotContain(BASIC.substring("Basic ".length()));
    }

    @Test
    void a_sign_in_page_with_203_instead_of_json_means_the_token_lacks_access() {
        // Azure DevOps answers some rejected PATs with 203 and an HTML sign-in page, not 401
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(aResponse().withStatus(203)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head></html>")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.get("22"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("token lacks access").contains("203");
    }

    @Test
    void not_found_is_not_retryable_and_names_the_pull_request() {
        wireMock.stubFor(get(PULLS + "/99" + V).willReturn(json(404, """
                {"$id": "1", "innerException": null, "message": "TF401180: The requested pull request was not found.",
                 "typeKey": "GitPullRequestNotFoundException", "errorCode": 0, "eventId": 3000}""")));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.get("99"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("pull request 99 in 2016_10_31/" + REPO_ID).contains("not found");
    }

    @Test
    void open_in_a_repository_that_does_not_exist_names_the_repository() {
        wireMock.stubFor(post(PULLS + V).willReturn(json(404, """
                {"$id": "1", "innerException": null,
                 "message": "TF401019: The Git repository with name or identifier %s does not exist or you do not have permissions for the operation you are attempting.",
                 "typeKey": "GitRepositoryNotFoundException", "errorCode": 0, "eventId": 3000}""".formatted(REPO_ID))));

        PullRequestException e = catchThrowableOfType(PullRequestException.class,
                () -> azure.open("npaulk/my_work", "new_feature", "t", "d"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("repository 2016_10_31/" + REPO_ID).contains("not found");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503, 429})
    void server_errors_and_throttling_are_retryable(int status) {
        wireMock.stubFor(patch(urlEqualTo(PULLS + "/22" + V)).willReturn(aResponse().withStatus(status)));
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200, Fixtures.azureResponse(GET_ONE, 200))));
        wireMock.stubFor(post(PULLS + V).willReturn(aResponse().withStatus(status)));

        PullRequestException onOpen = catchThrowableOfType(PullRequestException.class,
                () -> azure.open("npaulk/my_work", "new_feature", "t", "d"));
        PullRequestException onMerge = catchThrowableOfType(PullRequestException.class, () -> azure.merge("22"));

        assertThat(onOpen.retryable()).isTrue();
        assertThat(onMerge.retryable()).isTrue();
        assertThat(onOpen.getMessage()).contains(String.valueOf(status));
    }

    @Test
    void connection_refused_is_retryable() {
        organizationUrl = "http://127.0.0.1:" + Fixtures.closedPort() + "/fabrikam";
        azure = provider("2016_10_31", REPO_ID, Duration.ofSeconds(30));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.get("22"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("cannot connect").doesNotContain(PAT);
    }

    @Test
    void a_server_that_does_not_answer_in_time_is_retryable() {
        azure = provider("2016_10_31", REPO_ID, Duration.ofMillis(300));
        wireMock.stubFor(get(PULLS + "/22" + V).willReturn(json(200, Fixtures.azureResponse(GET_ONE, 200))
                .withFixedDelay(2_000)));

        PullRequestException e = catchThrowableOfType(PullRequestException.class, () -> azure.get("22"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("did not answer in time");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static ResponseDefinitionBuilder json(int status, Object body) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8; api-version=7.1")
                .withBody(body instanceof String s ? s : Fixtures.text((JsonNode) body));
    }
}
