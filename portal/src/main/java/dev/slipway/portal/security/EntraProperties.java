package dev.slipway.portal.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Azure mode: which Entra ID app roles or group object ids grant which Slipway role, e.g.
 * {@code slipway.entra.roles.qa=Slipway.QA,7f0c…}. Team membership needs no mapping: a team's
 * Entra group id is stored with the team, and its members are developers of that team.
 */
@ConfigurationProperties("slipway.entra")
public record EntraProperties(Map<String, List<String>> roles) {

    public EntraProperties {
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        roles.keySet().forEach(role -> Role.fromId(role).orElseThrow(() -> new IllegalArgumentException(
                "slipway.entra.roles." + role + ": unknown role (known: developer, qa, security, platform-admin, scanner)")));
    }
}
