package dev.slipway.gitops.pullrequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.slipway.gitops.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What following open pull requests costs a hosted provider: GitHub and Azure DevOps served by
 * WireMock with lists made from their published examples (fixtures/github, fixtures/azure-devops),
 * each copy with its own number. 50 open pull requests followed every 30 s must cost well under
 * GitHub's 5,000 calls an hour.
 */
class FollowingCostTest {

    private static final String TOKEN = "ghp_SlipwayTestToken0123456789abcdef";
    private static final String PULLS = "/repos/octocat/Hello-World/pulls";
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final List<String> FIFTY = IntStream.rangeClosed(1, 50).mapToObj(String::valueOf).toList();

    private WireMockServer wireMock;
    private MovableClock clock;
    private GitHubPullRequests github;

    @BeforeEach
    void start() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
        clock = new MovableClock(Instant.parse("2026-12-01T09:00:00Z"));
        github = new GitHubPullRequests(wireMock.baseUrl(), "octocat", "Hello-World", TOKEN,
                ProviderHttp.CONNECT_TIMEOUT, ProviderHttp.REQUEST_TIMEOUT, clock);
    }

    @AfterEach
    void stop() {
        wireMock.stop();
    }

    @Test
    void fiftyOpenPullRequestsCostOneConditionalListingPerInterval() {
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).withHeader("If-None-Match", absent())
                .willReturn(list(openPullRequests(1, 50), "\"etag-50-open\"")));
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).withHeader("If-None-Match", equalTo("\"etag-50-open\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"etag-50-open\"")));

        int rounds = 20;
        for (int i = 0; i < rounds; i++) {
            Map<String, PullRequest> states = github.states(FIFTY);
            assertThat(states).hasSize(50).allSatisfy((id, pr) -> assertThat(pr.state()).isEqualTo(PullRequest.State.OPEN));
            clock.advance(INTERVAL);
        }
        // one call per round, the open list; all but the first answered 304 (free on GitHub's rate limit)
        assertThat(wireMock.getAllServeEvents()).hasSize(rounds);
        assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(PULLS)).withQueryParam("state", equalTo("open"))
                .withHeader("If-None-Match", equalTo("\"etag-50-open\"")))).hasSize(rounds - 1);
        long perHour = Duration.ofHours(1).dividedBy(INTERVAL) * wireMock.getAllServeEvents().size() / rounds;
        System.out.printf("following 50 open pull requests every %d s: %d calls an hour (%d answered 304)%n",
                INTERVAL.toSeconds(), perHour, perHour - 1);
        assertThat(perHour).isLessThan(200);

        // #7 is merged: it leaves the open list, and only it is read once more
        wireMock.resetAll();
        var remaining = openPullRequests(1, 50);
        remaining.remove(6);
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).willReturn(list(remaining, "\"etag-49-open\"")));
        ObjectNode merged = numbered(7).put("merged", true).put("state", "closed")
                .put("merge_commit_sha", "e5bd3914e2e596debea16f433f57875b5b90bcd6");
        wireMock.stubFor(get(PULLS + "/7").willReturn(json(merged)));
        Map<String, PullRequest> states = github.states(FIFTY);
        assertThat(states.get("7").state()).isEqualTo(PullRequest.State.MERGED);
        assertThat(states.get("7").mergeCommitSha()).isEqualTo("e5bd3914e2e596debea16f433f57875b5b90bcd6");
        assertThat(wireMock.getAllServeEvents()).hasSize(2);
    }

    @Test
    void theOpenListIsFollowedPageByPageThroughItsLinkHeader() {
        String second = wireMock.baseUrl() + PULLS + "?state=open&per_page=100&page=2";
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).withQueryParam("page", absent())
                .willReturn(list(openPullRequests(101, 200), "\"p1\"")
                        .withHeader("Link", "<" + second + ">; rel=\"next\", <" + second + ">; rel=\"last\"")));
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).withQueryParam("page", equalTo("2"))
                .willReturn(list(openPullRequests(1, 50), "\"p2\"")));

        assertThat(github.states(List.of("3", "150"))).containsOnlyKeys("3", "150");
        assertThat(wireMock.getAllServeEvents()).hasSize(2);
    }

    @Test
    void tenTimesAsManyOpenPullRequestsCostOneListingCallPerHundred() {
        // 500 open pull requests: five pages of 100, each conditional; the cost grows with the pages, not the pull requests
        for (int page = 1; page <= 5; page++) {
            var stub = get(urlPathEqualTo(PULLS));
            stub = page == 1 ? stub.withQueryParam("page", absent()) : stub.withQueryParam("page", equalTo(String.valueOf(page)));
            var answer = list(openPullRequests(100 * (page - 1) + 1, 100 * page), "\"p" + page + "\"");
            if (page < 5) {
                answer = answer.withHeader("Link", "<" + wireMock.baseUrl() + PULLS + "?state=open&per_page=100&page="
                        + (page + 1) + ">; rel=\"next\"");
            }
            wireMock.stubFor(stub.willReturn(answer));
        }
        List<String> fiveHundred = IntStream.rangeClosed(1, 500).mapToObj(String::valueOf).toList();
        assertThat(github.states(fiveHundred)).hasSize(500);
        long perHour = Duration.ofHours(1).dividedBy(INTERVAL) * wireMock.getAllServeEvents().size();
        System.out.printf("following 500 open pull requests every %d s: %d calls an hour%n", INTERVAL.toSeconds(), perHour);
        assertThat(wireMock.getAllServeEvents()).hasSize(5);
    }

    @Test
    void anExhaustedRateLimitIsHonouredWithoutCallingUntilItsReset() {
        Instant reset = clock.instant().plus(Duration.ofMinutes(7));
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond()))
                .withBody("{\"message\": \"API rate limit exceeded for user ID 1.\"}")));

        PullRequestException limited = catchThrowableOfType(PullRequestException.class, () -> github.states(FIFTY));
        assertThat(limited.retryable()).isTrue();
        assertThat(limited.retryAfter()).hasValue(reset);

        for (int i = 0; i < 10; i++) {
            clock.advance(INTERVAL);
            assertThat(catchThrowableOfType(PullRequestException.class, () -> github.states(FIFTY)).retryAfter())
                    .hasValue(reset);
        }
        assertThat(wireMock.getAllServeEvents()).as("no call while limited").hasSize(1);

        clock.advance(Duration.ofMinutes(3));
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).willReturn(list(openPullRequests(1, 50), "\"after\"")));
        assertThat(github.states(FIFTY)).hasSize(50);
        assertThat(wireMock.getAllServeEvents()).hasSize(2);
    }

    @Test
    void retryAfterOnAThrottledAnswerPausesEveryCall() {
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        assertThat(catchThrowableOfType(PullRequestException.class, () -> github.states(FIFTY)).retryAfter())
                .hasValue(clock.instant().plusSeconds(120));
        clock.advance(Duration.ofSeconds(60));
        catchThrowableOfType(PullRequestException.class, () -> github.get("1"));
        assertThat(wireMock.getAllServeEvents()).hasSize(1);
    }

    @Test
    void anAbsurdPauseAskedForIsCutToAnHour() {
        wireMock.stubFor(get(urlPathEqualTo(PULLS)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "999999999999999")));
        assertThat(catchThrowableOfType(PullRequestException.class, () -> github.states(FIFTY)).retryAfter())
                .hasValue(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void azureDevOpsFollowsItsActivePullRequestsInOneListing() {
        var azure = new AzureDevOpsPullRequests(wireMock.baseUrl() + "/fabrikam", "Fabrikam-Fiber-Git", "gitops",
                "pat-slipway-test", ProviderHttp.CONNECT_TIMEOUT, ProviderHttp.REQUEST_TIMEOUT, List.of());
        ObjectNode example = Fixtures.azureResponse("GET__git_repositories__repositoryId__pullRequests_status-completed.json", 200);
        ObjectNode template = (ObjectNode) example.path("value").get(0);
        ArrayNode active = Fixtures.JSON.createArrayNode();
        for (int id = 1; id <= 50; id++) {
            active.add(template.deepCopy().put("pullRequestId", id).put("status", "active"));
        }
        ObjectNode page = Fixtures.JSON.createObjectNode().put("count", 50);
        page.set("value", active);
        wireMock.stubFor(get(urlPathEqualTo("/fabrikam/Fabrikam-Fiber-Git/_apis/git/repositories/gitops/pullrequests"))
                .withQueryParam("searchCriteria.status", equalTo("active"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.text(page))));

        Map<String, PullRequest> states = azure.states(FIFTY);
        assertThat(states).hasSize(50).allSatisfy((id, pr) -> assertThat(pr.state()).isEqualTo(PullRequest.State.OPEN));
        assertThat(wireMock.getAllServeEvents()).hasSize(1);
    }

    private static ArrayNode openPullRequests(int from, int to) {
        ArrayNode list = Fixtures.JSON.createArrayNode();
        for (int number = from; number <= to; number++) {
            // the list endpoint's items carry no "merged": an open one has merged_at null
            list.add(numbered(number).putNull("merged_at"));
        }
        return list;
    }

    private static ObjectNode numbered(int number) {
        ObjectNode pr = Fixtures.github("pull-request.example.json");
        pr.remove("merged");
        return pr.put("number", number).put("html_url", "https://github.com/octocat/Hello-World/pull/" + number);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder list(ArrayNode body, String etag) {
        return json(body).withHeader("ETag", etag);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(Object body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(Fixtures.text((com.fasterxml.jackson.databind.JsonNode) body));
    }
}
