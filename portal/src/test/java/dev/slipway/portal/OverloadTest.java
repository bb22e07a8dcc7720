package dev.slipway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/** A portal taking one creation at a time and no wait: the others are refused with 429 and leave nothing behind. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"slipway.scaffold.concurrent-creations=1", "slipway.scaffold.admission-wait=0ms"})
@ActiveProfiles("test")
class OverloadTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void creationsBeyondTheBulkheadAre429WithRetryAfterAndWriteNothing() throws Exception {
        var names = new ArrayList<String>();
        var answers = new ArrayList<Future<HttpResponse<String>>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                String name = TestCatalog.uniqueName("crowd");
                names.add(name);
                answers.add(pool.submit(() -> ApiClient.as(port, "dev-alice").post("/api/v1/services",
                        "{\"team\": \"payments\", \"name\": \"" + name + "\", \"template\": \"http-service\"}")));
            }
        }
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> response = answers.get(i).get();
            int stored = jdbc.sql("select count(*) from services where name = ?").param(names.get(i))
                    .query(Integer.class).single();
            if (response.statusCode() == 429) {
                refused++;
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(ApiClient.json(response).path("detail").asString()).contains("try again");
                assertThat(stored).as("a refused creation leaves no row").isZero();
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                accepted++;
                assertThat(stored).isEqualTo(1);
            }
        }
        assertThat(accepted).isPositive();
        assertThat(refused).as("12 at once against one place and no wait").isPositive();
        assertThat(accepted + refused).isEqualTo(List.of(answers).getFirst().size());
    }
}
