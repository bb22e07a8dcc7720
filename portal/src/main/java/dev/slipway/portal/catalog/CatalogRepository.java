package dev.slipway.portal.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The catalog's tables: teams, team_quotas, services. Only this feature touches them. */
@Repository
class CatalogRepository {

    private static final String SERVICE_COLUMNS = """
            s.id, t.name as team, s.name, s.template_id, s.template_version, s.description,
            s.created_by, s.created_at""";

    private final JdbcClient jdbc;

    CatalogRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Team> findAllTeams() {
        var teams = new LinkedHashMap<Long, TeamRow>();
        jdbc.sql("select id, name, display_name, entra_group_id, created_at from teams order by name")
                .query((rs, n) -> teamRow(rs)).list()
                .forEach(row -> teams.put(row.id, row));
        Map<Long, Map<QuotaTier, TeamQuota>> quotas = new LinkedHashMap<>();
        jdbc.sql("select * from team_quotas").query(rs -> {
            quotas.computeIfAbsent(rs.getLong("team_id"), id -> new EnumMap<>(QuotaTier.class))
                    .put(QuotaTier.fromId(rs.getString("tier")), quota(rs));
        });
        return teams.values().stream()
                .map(row -> row.toTeam(quotas.getOrDefault(row.id, Map.of())))
                .toList();
    }

    Optional<Team> findTeam(String name) {
        return jdbc.sql("select id, name, display_name, entra_group_id, created_at from teams where name = ?")
                .param(name).query((rs, n) -> teamRow(rs)).optional()
                .map(row -> row.toTeam(quotasOf(row.id)));
    }

    boolean teamExists(String name) {
        return jdbc.sql("select exists (select 1 from teams where name = ?)").param(name)
                .query(Boolean.class).single();
    }

    /** Inserts the team unless one of that name exists; returns whether it was inserted. */
    boolean insertTeamIfAbsent(String name, String displayName, UUID entraGroupId,
                               Map<QuotaTier, TeamQuota> quotas) {
        return insertTeam(name, displayName, entraGroupId, quotas, "on conflict (name) do nothing");
    }

    /**
     * Local mode's seeding: portals starting at once insert the same team with the same group, and
     * either unique constraint (name or group) may be the one that meets the other's row.
     */
    boolean seedTeam(String name, String displayName, UUID entraGroupId, Map<QuotaTier, TeamQuota> quotas) {
        return insertTeam(name, displayName, entraGroupId, quotas, "on conflict do nothing");
    }

    private boolean insertTeam(String name, String displayName, UUID entraGroupId, Map<QuotaTier, TeamQuota> quotas,
                               String onConflict) {
        Optional<Long> id = jdbc.sql("insert into teams (name, display_name, entra_group_id) values (?, ?, ?) "
                        + onConflict + " returning id")
                .params(name, displayName, entraGroupId).query(Long.class).optional();
        id.ifPresent(teamId -> quotas.forEach((tier, quota) -> upsertQuota(teamId, tier, quota)));
        return id.isPresent();
    }

    void updateTeam(long id, String displayName, UUID entraGroupId, Map<QuotaTier, TeamQuota> quotas) {
        jdbc.sql("update teams set display_name = ?, entra_group_id = ? where id = ?")
                .params(displayName, entraGroupId, id).update();
        quotas.forEach((tier, quota) -> upsertQuota(id, tier, quota));
    }

    private void upsertQuota(long teamId, QuotaTier tier, TeamQuota quota) {
        jdbc.sql("""
                        insert into team_quotas (team_id, tier, requests_cpu_millis, requests_memory_mib,
                                                 limits_cpu_millis, limits_memory_mib, max_pods)
                        values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (team_id, tier) do update set
                            requests_cpu_millis = excluded.requests_cpu_millis,
                            requests_memory_mib = excluded.requests_memory_mib,
                            limits_cpu_millis = excluded.limits_cpu_millis,
                            limits_memory_mib = excluded.limits_memory_mib,
                            max_pods = excluded.max_pods""")
                .params(teamId, tier.id(), quota.requestsCpuMillis(), quota.requestsMemoryMib(),
                        quota.limitsCpuMillis(), quota.limitsMemoryMib(), quota.maxPods())
                .update();
    }

    /** Team names whose Entra group is one of the given ids: how Entra users become members. */
    List<String> teamsOfGroups(List<UUID> groupIds) {
        if (groupIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select name from teams where entra_group_id = any(?)")
                .param(groupIds.toArray(UUID[]::new)).query(String.class).list();
    }

    List<Service> findServices(ServiceFilter filter, int offset, int limit) {
        var where = new Where(filter);
        return jdbc.sql("select " + SERVICE_COLUMNS + " from services s join teams t on t.id = s.team_id"
                        + where.sql + " order by t.name, s.name offset ? limit ?")
                .params(where.withParams(offset, limit))
                .query((rs, n) -> service(rs)).list();
    }

    int countServices(ServiceFilter filter) {
        var where = new Where(filter);
        return jdbc.sql("select count(*) from services s join teams t on t.id = s.team_id" + where.sql)
                .params(where.params).query(Integer.class).single();
    }

    Service insertService(long teamId, String name, String templateId, String templateVersion, String description,
                          String createdBy) {
        return jdbc.sql("with s as (insert into services (id, team_id, name, template_id, template_version, description,"
                        + " created_by) values (?, ?, ?, ?, ?, ?, ?) returning *)"
                        + " select " + SERVICE_COLUMNS + " from s join teams t on t.id = s.team_id")
                .params(UUID.randomUUID(), teamId, name, templateId, templateVersion, description, createdBy)
                .query((rs, n) -> service(rs)).single();
    }

    /** Sets a team's Entra ID group if it has none; whether it did. */
    boolean giveGroupIfNone(String team, UUID group) {
        return jdbc.sql("update teams set entra_group_id = ? where name = ? and entra_group_id is null")
                .params(group, team).update() == 1;
    }

    boolean hasServices(long teamId) {
        return jdbc.sql("select exists (select 1 from services where team_id = ?)").param(teamId)
                .query(Boolean.class).single();
    }

    Optional<Service> findService(String team, String name) {
        return jdbc.sql("select " + SERVICE_COLUMNS + " from services s join teams t on t.id = s.team_id"
                        + " where t.name = ? and s.name = ?")
                .params(team, name).query((rs, n) -> service(rs)).optional();
    }

    private Map<QuotaTier, TeamQuota> quotasOf(long teamId) {
        Map<QuotaTier, TeamQuota> quotas = new EnumMap<>(QuotaTier.class);
        jdbc.sql("select * from team_quotas where team_id = ?").param(teamId)
                .query(rs -> {
                    quotas.put(QuotaTier.fromId(rs.getString("tier")), quota(rs));
                });
        return quotas;
    }

    private static final class Where {
        final String sql;
        final List<Object> params = new ArrayList<>();

        Where(ServiceFilter filter) {
            var clauses = new ArrayList<String>();
            if (filter.team() != null) {
                clauses.add("t.name = ?");
                params.add(filter.team());
            }
            if (filter.nameContains() != null) {
                clauses.add("s.name like ? escape '\\'");
                params.add("%" + escapeLike(filter.nameContains()) + "%");
            }
            sql = clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
        }

        List<Object> withParams(Object... more) {
            var all = new ArrayList<>(params);
            all.addAll(List.of(more));
            return all;
        }

        private static String escapeLike(String text) {
            return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        }
    }

    private record TeamRow(long id, String name, String displayName, UUID entraGroupId, java.time.Instant createdAt) {
        Team toTeam(Map<QuotaTier, TeamQuota> quotas) {
            return new Team(id, name, displayName, entraGroupId, quotas, createdAt);
        }
    }

    private static TeamRow teamRow(ResultSet rs) throws SQLException {
        return new TeamRow(rs.getLong("id"), rs.getString("name"), rs.getString("display_name"),
                rs.getObject("entra_group_id", UUID.class),
                rs.getTimestamp("created_at").toInstant());
    }

    private static TeamQuota quota(ResultSet rs) throws SQLException {
        return new TeamQuota(rs.getInt("requests_cpu_millis"), rs.getInt("requests_memory_mib"),
                rs.getInt("limits_cpu_millis"), rs.getInt("limits_memory_mib"), rs.getInt("max_pods"));
    }

    private static Service service(ResultSet rs) throws SQLException {
        return new Service(rs.getObject("id", UUID.class), rs.getString("team"), rs.getString("name"),
                rs.getString("template_id"), rs.getString("template_version"), rs.getString("description"),
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
    }
}
