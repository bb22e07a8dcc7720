package dev.slipway.portal.security;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Three doors: the REST API (stateless, credentials on every call, problem JSON), operations
 * (health and metrics open to probes and scrapers, the rest to platform admins) and the UI.
 * Which credentials each accepts depends on the {@link SignIn} mode. Authorization of actions
 * is not here: it lives in the application services.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    /**
     * The registry's webhook carries no user: it is authenticated by its shared secret, which the
     * controller checks before it reads anything (see registry.WebhookSecret).
     */
    @Bean
    @Order(0)
    SecurityFilterChain webhookSecurity(HttpSecurity http) throws Exception {
        return withoutUsers(http, "/api/v1/webhooks/**");
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, SignIn signIn, ProblemResponses problems) throws Exception {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated());
        return statelessWithProblems(http, signIn, problems);
    }

    @Bean
    @Order(2)
    SecurityFilterChain operationsSecurity(HttpSecurity http, SignIn signIn, ProblemResponses problems)
            throws Exception {
        http.securityMatcher("/actuator/**", "/v3/api-docs/**", "/v3/api-docs", "/swagger-ui/**", "/swagger-ui.html")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/actuator/info").permitAll()
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        .anyRequest().hasRole("PLATFORM_ADMIN"));
        return statelessWithProblems(http, signIn, problems);
    }

    /** Credentials on every call, no session, 401 and 403 as problem JSON. */
    private static SecurityFilterChain statelessWithProblems(HttpSecurity http, SignIn signIn, ProblemResponses problems)
            throws Exception {
        http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // no cookies are accepted here, so there is no session for a cross-site request to ride on
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(problems.unauthorized(signIn.challenge()))
                        .accessDeniedHandler(problems.forbidden()));
        signIn.api(http);
        return http.build();
    }

    /** Local mode's GitOps repository, read-only for Argo CD and git clone (see GitHttp). */
    @Bean
    @Order(3)
    SecurityFilterChain gitSecurity(HttpSecurity http) throws Exception {
        return withoutUsers(http, "/git/**");
    }

    /** Paths no user signs in to (what serves them decides who may): no session, no CSRF token. */
    private static SecurityFilterChain withoutUsers(HttpSecurity http, String paths) throws Exception {
        http.securityMatcher(paths)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain uiSecurity(HttpSecurity http, SignIn signIn) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers("/images/**", "/styles/**", "/error").permitAll());
        http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> {
            try {
                signIn.ui(http, vaadin);
            } catch (Exception e) {
                throw new IllegalStateException("could not configure the UI's sign-in", e);
            }
        });
        return http.build();
    }
}
