package dev.slipway.portal.security;

import static com.azure.spring.cloud.autoconfigure.implementation.aad.security.AadResourceServerHttpSecurityConfigurer.aadResourceServer;
import static com.azure.spring.cloud.autoconfigure.implementation.aad.security.AadWebApplicationHttpSecurityConfigurer.aadWebApplication;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import dev.slipway.portal.catalog.Catalog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
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
    EntraAuthorities entraAuthorities(EntraProperties properties, Catalog catalog) {
        return new EntraAuthorities(properties, catalog);
    }

    /** The browser's sign-in: the ID token's roles and groups become Slipway's authorities. */
    @Bean
    GrantedAuthoritiesMapper entraUserAuthorities(EntraAuthorities entra) {
        return authorities -> {
            var appRoles = new ArrayList<String>();
            var groups = new ArrayList<String>();
            var mapped = new ArrayList<GrantedAuthority>();
            for (GrantedAuthority authority : authorities) {
                if (authority instanceof OidcUserAuthority oidc) {
                    appRoles.addAll(EntraAuthorities.strings(oidc.getIdToken().getClaim("roles")));
                    groups.addAll(EntraAuthorities.strings(oidc.getIdToken().getClaim("groups")));
                    mapped.add(oidc);
                }
            }
            mapped.addAll(entra.of(appRoles, groups));
            return mapped;
        };
    }

    @Bean
    SignIn entraSignInMode(EntraAuthorities entra, GrantedAuthoritiesMapper entraUserAuthorities,
                           ProblemResponses problems) {
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
                http.oauth2Login(login -> login.userInfoEndpoint(user -> user.userAuthoritiesMapper(entraUserAuthorities)));
                vaadin.oauth2LoginPage(LOGIN_PAGE);
            }
        };
    }
}
