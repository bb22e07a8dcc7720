package dev.slipway.portal.security;

import static com.azure.spring.cloud.autoconfigure.implementation.aad.security.AadResourceServerHttpSecurityConfigurer.aadResourceServer;
import static com.azure.spring.cloud.autoconfigure.implementation.aad.security.AadWebApplicationHttpSecurityConfigurer.aadWebApplication;

import com.azure.spring.cloud.autoconfigure.implementation.aad.configuration.properties.AadAuthenticationProperties;
import com.azure.spring.cloud.autoconfigure.implementation.aad.security.AadOAuth2UserService;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import java.util.Collection;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Azure mode: people sign in with Entra ID (spring-cloud-azure-starter-active-directory), the
 * browser through the authorization code flow, API clients with a bearer access token. Requires
 * {@code spring.cloud.azure.active-directory.enabled=true} and
 * {@code application-type=web_application_and_resource_server}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("azure")
class EntraSignIn {

    static final String LOGIN_PAGE = "/oauth2/authorization/azure";

    @Bean
    EntraAuthorities entraAuthorities(EntraProperties properties, TeamDirectory teams) {
        return new EntraAuthorities(properties, teams);
    }

    /**
     * The browser's sign-in: the starter's user service reads the ID token; ours replaces what it
     * granted with Slipway's authorities from the same token's roles and groups claims. The
     * starter's configurer takes this bean, the only user service of its type.
     */
    @Bean
    OAuth2UserService<OidcUserRequest, OidcUser> entraUserService(AadAuthenticationProperties properties,
                                                                  RestTemplateBuilder restTemplates,
                                                                  EntraAuthorities entra) {
        var starterUserService = new AadOAuth2UserService(properties, restTemplates);
        return request -> {
            OidcUser user = starterUserService.loadUser(request);
            OidcIdToken idToken = user.getIdToken();
            var authorities = entra.of(EntraAuthorities.strings(idToken.getClaim("roles")),
                    EntraAuthorities.strings(idToken.getClaim("groups")));
            return new DefaultOidcUser(authorities, idToken, user.getUserInfo(), "name");
        };
    }

    @Bean
    SignIn entraSignInMode(EntraAuthorities entra, ProblemResponses problems) {
        return new SignIn() {
            @Override
            public String challenge() {
                return "Bearer";
            }

            @Override
            public void api(HttpSecurity http) throws Exception {
                http.with(aadResourceServer(), resourceServer -> resourceServer.jwtGrantedAuthoritiesConverter(
                        (Jwt jwt) -> (Collection<GrantedAuthority>) List.<GrantedAuthority>copyOf(entra.of(
                                EntraAuthorities.strings(jwt.getClaim("roles")),
                                EntraAuthorities.strings(jwt.getClaim("groups"))))));
                // an invalid or expired token is a 401 problem like any other
                http.oauth2ResourceServer(resourceServer -> resourceServer
                        .authenticationEntryPoint(problems.unauthorized(challenge())));
            }

            @Override
            public void ui(HttpSecurity http, VaadinSecurityConfigurer vaadin) throws Exception {
                http.with(aadWebApplication(), web -> { });
                vaadin.oauth2LoginPage(LOGIN_PAGE);
            }
        };
    }
}
