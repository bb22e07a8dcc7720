package dev.slipway.portal.security;

import java.util.Locale;
import java.util.Optional;

/** What a person may do in Slipway, beyond reading. Granted as the authority {@code ROLE_<NAME>}. */
public enum Role {
    DEVELOPER("developer"),
    QA("qa"),
    SECURITY("security"),
    PLATFORM_ADMIN("platform-admin"),
    /** CI identities: they upload scan reports, and may do nothing else, not even read the catalog */
    SCANNER("scanner");

    public static final String AUTHORITY_PREFIX = "ROLE_";

    private final String id;

    Role(String id) {
        this.id = id;
    }

    /** The name used in configuration, the API and the UI, e.g. {@code platform-admin}. */
    public String id() {
        return id;
    }

    public String authority() {
        return AUTHORITY_PREFIX + name();
    }

    public static Optional<Role> fromId(String id) {
        String normalized = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Role role : values()) {
            if (role.id.equals(normalized)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    public static Optional<Role> fromAuthority(String authority) {
        if (!authority.startsWith(AUTHORITY_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(authority.substring(AUTHORITY_PREFIX.length())));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
