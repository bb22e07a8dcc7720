package dev.slipway.portal.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Turns an Entra ID user's app roles ({@code roles} claim) and group object ids ({@code groups}
 * claim) into Slipway's authorities: {@code ROLE_*} through the configured mapping, {@code TEAM_*}
 * from the teams' Entra groups. A team member is a developer. Whatever else the token carries
 * grants nothing in Slipway.
 */
public class EntraAuthorities {

    private final EntraProperties properties;
    private final TeamDirectory teams;

    public EntraAuthorities(EntraProperties properties, TeamDirectory teams) {
        this.properties = properties;
        this.teams = teams;
    }

    public List<GrantedAuthority> of(Collection<String> appRoles, Collection<String> groupIds) {
        Set<String> held = new HashSet<>(appRoles);
        held.addAll(groupIds);
        var roles = new HashSet<Role>();
        properties.roles().forEach((role, grantedBy) -> {
            if (grantedBy.stream().anyMatch(held::contains)) {
                roles.add(Role.fromId(role).orElseThrow());
            }
        });
        List<String> memberOf = teams.teamsOfEntraGroups(groupIds);
        if (!memberOf.isEmpty()) {
            roles.add(Role.DEVELOPER);
        }
        var authorities = new ArrayList<GrantedAuthority>();
        roles.forEach(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
        memberOf.forEach(team -> authorities.add(new SimpleGrantedAuthority(SlipwayUser.teamAuthority(team))));
        return authorities;
    }

    static List<String> strings(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        if (claim instanceof String text && !text.isBlank()) {
            return List.of(text.split(" "));
        }
        return List.of();
    }
}
