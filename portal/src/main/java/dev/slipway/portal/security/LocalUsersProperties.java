package dev.slipway.portal.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The people who can sign in in local mode, with their roles and teams. One password for all of
 * them ({@code slipway.local.password}); local mode is for trying Slipway, not for production.
 */
@ConfigurationProperties("slipway.local")
public record LocalUsersProperties(String password, Map<String, LocalUser> users) {

    public LocalUsersProperties {
        password = password == null || password.isBlank() ? "slipway-local" : password;
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    public record LocalUser(String displayName, List<String> roles, List<String> teams) {
        public LocalUser {
            roles = roles == null ? List.of() : List.copyOf(roles);
            teams = teams == null ? List.of() : List.copyOf(teams);
        }
    }
}
