package dev.slipway.portal.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Local mode's users, from configuration, with their roles and teams as authorities. */
public class LocalUsers implements UserDetailsService {

    /** A local user keeps the display name from configuration for the UI. */
    public static final class LocalUserDetails extends User {
        private final String displayName;

        LocalUserDetails(String username, String password, List<GrantedAuthority> authorities, String displayName) {
            super(username, password, authorities);
            this.displayName = displayName;
        }

        public String displayName() {
            return displayName;
        }
    }

    private final LocalUsersProperties properties;
    private final String encodedPassword;

    public LocalUsers(LocalUsersProperties properties) {
        this.properties = properties;
        this.encodedPassword = PASSWORD_ENCODER.encode(properties.password());
        properties.users().forEach((name, user) -> user.roles().forEach(role -> Role.fromId(role).orElseThrow(
                () -> new IllegalArgumentException("slipway.local.users." + name + ": unknown role '" + role
                        + "' (known: developer, qa, security, platform-admin)"))));
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        LocalUsersProperties.LocalUser user = properties.users().get(username);
        if (user == null) {
            throw new UsernameNotFoundException("no such local user");
        }
        var authorities = new ArrayList<GrantedAuthority>();
        user.roles().forEach(role -> authorities.add(new SimpleGrantedAuthority(Role.fromId(role).orElseThrow().authority())));
        user.teams().forEach(team -> authorities.add(new SimpleGrantedAuthority(SlipwayUser.teamAuthority(team))));
        String displayName = user.displayName() == null ? username : user.displayName();
        return new LocalUserDetails(username, encodedPassword, authorities, displayName);
    }

    /**
     * The local password is plain text in configuration, so a slow hash protects nothing here and
     * would cost every API call tens of milliseconds; a digest compared in constant time is enough.
     */
    static final PasswordEncoder PASSWORD_ENCODER = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return HexFormat.of().formatHex(sha256(raw));
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            return encoded != null && MessageDigest.isEqual(sha256(raw),
                    encoded.getBytes(StandardCharsets.US_ASCII).length == 64 ? HexFormat.of().parseHex(encoded) : new byte[0]);
        }

        private byte[] sha256(CharSequence raw) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(raw.toString().getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    };
}
