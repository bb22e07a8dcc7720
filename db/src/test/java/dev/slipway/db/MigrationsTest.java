package dev.slipway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrations applied to an empty, real PostgreSQL, and the bad states the schema refuses. */
class MigrationsTest {

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void migrateEmptyDatabase() throws Exception {
        dataSource = emptyDatabase();
        var result = Flyway.configure().dataSource(dataSource).load().migrate();
        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isGreaterThan(0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A new, empty database: on the server in SLIPWAY_TEST_JDBC_URL if set, else an embedded one. */
    private static DataSource emptyDatabase() throws Exception {
        String url = System.getenv("SLIPWAY_TEST_JDBC_URL");
        if (url == null || url.isBlank()) {
            postgres = EmbeddedPostgres.builder().start();
            return postgres.getPostgresDatabase();
        }
        String database = "slipway_migrations_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = java.sql.DriverManager.getConnection(url)) {
            c.createStatement().execute("create database " + database);
        }
        var fresh = new org.postgresql.ds.PGSimpleDataSource();
        fresh.setURL(url.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database));
        return fresh;
    }

    @Test
    void createsOneTablePerConcept() throws SQLException {
        var tables = new ArrayList<String>();
        try (Connection c = dataSource.getConnection();
             var rs = c.createStatement().executeQuery(
                     "select table_name from information_schema.tables where table_schema = 'public' order by 1")) {
            while (rs.next()) tables.add(rs.getString(1));
        }
        assertThat(tables).contains("teams", "team_quotas", "services", "flyway_schema_history");
    }

    @Test
    void migratingAgainIsANoOp() {
        var again = Flyway.configure().dataSource(dataSource).load().migrate();
        assertThat(again.migrationsExecuted).isZero();
    }

    @Test
    void refusesTeamNamesThatAreNotDnsLabels() {
        for (String bad : List.of("Payments", "pay_ments", "-payments", "payments-", "a".repeat(64), "pay.ments")) {
            assertThatThrownBy(() -> execute("insert into teams (name, display_name) values (?, 'x')", bad))
                    .as(bad).hasMessageContaining("teams_name_dns1123_label");
        }
    }

    @Test
    void refusesServiceNamesThatCannotBeKubernetesServiceNames() throws SQLException {
        long team = insertTeam("naming-" + shortId());
        for (String bad : List.of("1api", "Api", "api_v2", "api-", "a".repeat(64))) {
            assertThatThrownBy(() -> insertService(team, bad)).as(bad)
                    .hasMessageContaining("services_name_dns1035_label");
        }
    }

    @Test
    void refusesASecondServiceWithTheSameNameInOneTeamButNotInAnother() throws SQLException {
        long first = insertTeam("one-" + shortId());
        long second = insertTeam("two-" + shortId());
        insertService(first, "checkout");
        assertThatThrownBy(() -> insertService(first, "checkout")).hasMessageContaining("services_team_name_unique");
        insertService(second, "checkout");
    }

    @Test
    void refusesTwoServicesWhoseArgoCdApplicationsWouldShareAName() throws SQLException {
        String team = "t" + shortId();
        long joined = insertTeam(team + "-s");
        long prefix = insertTeam(team);
        insertService(joined, "c");
        // team t's service s-c and team t-s's service c would both be Application t-s-c-<env>
        assertThatThrownBy(() -> insertService(prefix, "s-c")).hasMessageContaining("services_application_name_unique");
        insertService(prefix, "s-d");
    }

    @Test
    void refusesServicesOfUnknownTeams() {
        assertThatThrownBy(() -> insertService(-42, "orphan")).hasMessageContaining("foreign key");
    }

    @Test
    void refusesQuotasWhoseLimitsAreBelowTheirRequests() throws SQLException {
        long team = insertTeam("quota-" + shortId());
        assertThatThrownBy(() -> execute(
                "insert into team_quotas values (?, 'prod', 2000, 1024, 1000, 2048, 10)", team))
                .hasMessageContaining("team_quotas_limits_cover_requests");
        assertThatThrownBy(() -> execute(
                "insert into team_quotas values (?, 'staging', 1000, 1024, 2000, 2048, 10)", team))
                .hasMessageContaining("team_quotas_tier");
        execute("insert into team_quotas values (?, 'prod', 1000, 1024, 2000, 2048, 10)", team);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static long insertTeam(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
             var ps = c.prepareStatement("insert into teams (name, display_name) values (?, ?) returning id")) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void insertService(long team, String name) throws SQLException {
        execute("insert into services (id, team_id, name, template_id, template_version, created_by)"
                + " values ('" + UUID.randomUUID() + "', ?, ?, 'http-service', '1', 'test')", team, name);
    }

    private static void execute(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }
}
