package dev.slipway.portal.security;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/** How people prove who they are: local users (local mode) or Entra ID (profile {@code azure}). */
public interface SignIn {

    /** The WWW-Authenticate challenge of a 401 from the API, e.g. {@code Basic realm="Slipway"}. */
    String challenge();

    /** Credentials on each REST API call: HTTP Basic locally, a bearer token with Entra ID. */
    void api(HttpSecurity http) throws Exception;

    /** The browser's sign-in: Slipway's login view locally, Entra ID's sign-in page otherwise. */
    void ui(HttpSecurity http, VaadinSecurityConfigurer vaadin) throws Exception;
}
