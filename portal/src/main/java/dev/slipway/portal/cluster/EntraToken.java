package dev.slipway.portal.cluster;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token of an AKS cluster with Entra ID: an access token for the AKS server application,
 * from {@code DefaultAzureCredential} (the pod's workload identity in Azure). The client asks for it
 * on every request; it is fetched again {@value #REFRESH_MINUTES} minutes before it expires, and a
 * token still valid is kept when Entra ID cannot be reached.
 */
final class EntraToken implements OAuthTokenProvider {

    /** The AKS Entra ID server application, the same for every AKS cluster with AKS-managed Entra ID. */
    static final String AKS_SCOPE = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";
    static final long REFRESH_MINUTES = 5;
    private static final Logger log = LoggerFactory.getLogger(EntraToken.class);

    private final String cluster;
    private final TokenCredential credential;
    private final TokenRequestContext request;
    private final Clock clock;
    private AccessToken token;

    EntraToken(String cluster, TokenCredential credential, String scope, Clock clock) {
        this.cluster = cluster;
        this.credential = credential;
        this.request = new TokenRequestContext().addScopes(scope == null || scope.isBlank() ? AKS_SCOPE : scope);
        this.clock = clock;
    }

    @Override
    public synchronized String getToken() {
        var now = clock.instant();
        if (token == null || !now.isBefore(token.getExpiresAt().toInstant().minus(Duration.ofMinutes(REFRESH_MINUTES)))) {
            try {
                token = credential.getTokenSync(request);
            } catch (RuntimeException unavailable) {
                if (token == null || !now.isBefore(token.getExpiresAt().toInstant())) {
                    throw unavailable;
                }
                log.warn("Cluster {}: cannot refresh its Entra ID token ({}); the current one is valid until {}",
                        cluster, unavailable.getMessage(), token.getExpiresAt());
            }
        }
        return token.getToken();
    }
}
