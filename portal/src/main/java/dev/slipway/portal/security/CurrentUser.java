package dev.slipway.portal.security;

import java.util.Optional;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Who is calling, and the checks every application service makes before it does anything. The
 * UI and the REST API reach the same services, so these checks hold for both.
 */
@Component
public class CurrentUser {

    private final SecurityContextHolderStrategy securityContext;

    // the application's own strategy (Vaadin's), not the JVM-wide static one another context may have set
    public CurrentUser(ObjectProvider<SecurityContextHolderStrategy> securityContext) {
        this.securityContext = securityContext.getIfAvailable(SecurityContextHolder::getContextHolderStrategy);
    }

    public Optional<SlipwayUser> find() {
        Authentication authentication = securityContext.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return Optional.empty();
        }
        return Optional.of(SlipwayUser.of(username(authentication), displayName(authentication),
                authentication.getAuthorities()));
    }

    public SlipwayUser get() {
        return find().orElseThrow(() -> new AuthenticationCredentialsNotFoundException("Sign in to use Slipway."));
    }

    /** Reading the catalog needs any Slipway role: signing in with no role grants nothing. */
    public SlipwayUser requireReader() {
        SlipwayUser user = get();
        if (!user.mayRead()) {
            throw new AccessDeniedException(user.has(Role.SCANNER)
                    ? user.username() + " holds only the scanner role, which uploads scan reports and reads nothing."
                    : "You are signed in as " + user.username()
                            + " but hold no Slipway role. Ask a platform admin to add you to a team or role.");
        }
        return user;
    }

    public SlipwayUser require(Role role) {
        SlipwayUser user = get();
        if (!user.has(role)) {
            throw new AccessDeniedException("This needs the " + role.id() + " role, which "
                    + user.username() + " does not hold.");
        }
        return user;
    }

    /** Changing a team's services needs the developer role and membership of that team. */
    public SlipwayUser requireDeveloperOf(String team) {
        SlipwayUser user = require(Role.DEVELOPER);
        if (!user.isMemberOf(team)) {
            throw new AccessDeniedException(user.username() + " is not a member of team " + team + ".");
        }
        return user;
    }

    private static String username(Authentication authentication) {
        Object principal = authentication.getPrincipal();
        if (principal instanceof OidcUser oidc) {
            return firstPresent(oidc.getPreferredUsername(), oidc.getEmail(), oidc.getSubject());
        }
        if (principal instanceof Jwt jwt) {
            return firstPresent(jwt.getClaimAsString("preferred_username"), jwt.getClaimAsString("upn"),
                    jwt.getClaimAsString("appid"), jwt.getSubject());
        }
        return authentication.getName();
    }

    private static String displayName(Authentication authentication) {
        Object principal = authentication.getPrincipal();
        if (principal instanceof OidcUser oidc && oidc.getFullName() != null) {
            return oidc.getFullName();
        }
        if (principal instanceof Jwt jwt && jwt.getClaimAsString("name") != null) {
            return jwt.getClaimAsString("name");
        }
        if (principal instanceof LocalUsers.LocalUserDetails local) {
            return local.displayName();
        }
        return username(authentication);
    }

    private static String firstPresent(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return "unknown";
    }
}
