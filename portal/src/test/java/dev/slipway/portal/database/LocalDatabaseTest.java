package dev.slipway.portal.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Local mode's database keeps what it was given across a restart of the portal. */
class LocalDatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesARestart() throws Exception {
        var directory = new DataDirectory(dataDir);
        var configuration = new LocalDatabaseConfiguration();
        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(directory);
             var dataSource = (HikariDataSource) configuration.dataSource(postgres)) {
            var jdbc = JdbcClient.create(dataSource);
            jdbc.sql("create table kept (what text)").update();
            jdbc.sql("insert into kept values ('still here')").update();
        }
        assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();

        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(directory);
             var dataSource = (HikariDataSource) configuration.dataSource(postgres)) {
            assertThat(JdbcClient.create(dataSource).sql("select what from kept").query(String.class).single())
                    .isEqualTo("still here");
        }
    }
}
