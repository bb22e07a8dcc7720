package dev.slipway.portal.security;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Local mode: the configured local users sign in with a form (UI) or HTTP Basic (API). */
@Configuration(proxyBeanMethods = false)
@Profile("!azure")
class LocalSignIn {

    @Bean
    LocalUsers localUsers(LocalUsersProperties properties) {
        return new LocalUsers(properties);
    }

    @Bean
    PasswordEncoder localPasswordEncoder() {
        return LocalUsers.PASSWORD_ENCODER;
    }

    @Bean
    SignIn localSignInMode(ProblemResponses problems) {
        return new SignIn() {
            @Override
            public String challenge() {
                return "Basic realm=\"Slipway\"";
            }

            @Override
            public void api(HttpSecurity http) throws Exception {
                http.httpBasic(basic -> basic.realmName("Slipway")
                        .authenticationEntryPoint(problems.unauthorized(challenge())));
            }

            @Override
            public void ui(HttpSecurity http, VaadinSecurityConfigurer vaadin) {
                vaadin.loginView(LoginView.class);
            }
        };
    }
}
