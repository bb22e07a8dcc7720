package dev.slipway.portal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import dev.slipway.gitops.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The AKS token: asked for the AKS server application, kept while valid, fetched again before it expires. */
class EntraTokenTest {

    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final List<TokenRequestContext> asked = new ArrayList<>();
    boolean entraDown;

    final TokenCredential credential = new TokenCredential() {
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromSupplier(() -> getTokenSync(request));
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext request) {
            if (entraDown) {
                throw new IllegalStateException("login.microsoftonline.com unreachable");
            }
            asked.add(request);
            // an hour, as Entra ID gives
            return new AccessToken("token-" + asked.size(), clock.instant().plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC));
        }
    };

    @Test
    void aTokenIsKeptUntilFiveMinutesBeforeItExpiresThenFetchedAgain() {
        var token = new EntraToken("prod", credential, null, clock);
        assertThat(token.getToken()).isEqualTo("token-1");
        assertThat(asked.getFirst().getScopes()).containsExactly("6dae42f8-4368-4678-94ff-3960e28e3630/.default");

        clock.advance(Duration.ofMinutes(54));
        assertThat(token.getToken()).isEqualTo("token-1");
        clock.advance(Duration.ofMinutes(1)); // 5 minutes left
        assertThat(token.getToken()).isEqualTo("token-2");
        assertThat(asked).hasSize(2);
    }

    @Test
    void whenEntraIdCannotBeReachedAValidTokenIsKeptAndAnExpiredOneIsNot() {
        var token = new EntraToken("prod", credential, "api://custom/.default", clock);
        assertThat(token.getToken()).isEqualTo("token-1");
        assertThat(asked.getFirst().getScopes()).containsExactly("api://custom/.default");
        entraDown = true;
        clock.advance(Duration.ofMinutes(57));
        assertThat(token.getToken()).isEqualTo("token-1");
        clock.advance(Duration.ofMinutes(3));
        assertThatThrownBy(token::getToken).hasMessageContaining("unreachable");
        entraDown = false;
        assertThat(token.getToken()).isEqualTo("token-2");
    }
}
