package dev.slipway.portal.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Local mode's database keeps what it was given across a restart of the portal, even after a hard kill. */
class LocalDatabaseTest {

    @TempDir
    Path dataDir;

    final LocalDatabaseConfiguration configuration = new LocalDatabaseConfiguration();

    @Test
    void dataSurvivesARestart() throws Exception {
        var directory = new DataDirectory(dataDir);
        try (var lock = DataDirectoryLock.acquire(directory);
             EmbeddedPostgres postgres = configuration.embeddedPostgres(directory, lock);
             var dataSource = (HikariDataSource) configuration.dataSource(postgres)) {
            var jdbc = JdbcClient.create(dataSource);
            jdbc.sql("create table kept (what text)").update();
            jdbc.sql("insert into kept values ('still here')").update();
        }
        assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();

        try (var lock = DataDirectoryLock.acquire(directory);
             EmbeddedPostgres postgres = configuration.embeddedPostgres(directory, lock);
             var dataSource = (HikariDataSource) configuration.dataSource(postgres)) {
            assertThat(JdbcClient.create(dataSource).sql("select what from kept").query(String.class).single())
                    .isEqualTo("still here");
        }
    }

    @Test
    void aServerLeftRunningByAKilledPortalIsStoppedAndTheNextStartSucceeds() throws Exception {
        Process killed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledPortal.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try (var output = new java.io.BufferedReader(new java.io.InputStreamReader(killed.getInputStream()))) {
            String line;
            while ((line = output.readLine()) != null && !line.equals("ready")) {
                // the child's log
            }
            assertThat(line).as("the first portal's database started").isEqualTo("ready");
        }
        killed.destroyForcibly().waitFor();
        ProcessHandle orphan = LeftoverPostgres.running(dataDir.resolve("postgres/postmaster.pid")).orElseThrow();
        assertThat(orphan.isAlive()).as("PostgreSQL outlives a portal killed with SIGKILL").isTrue();

        var directory = new DataDirectory(dataDir);
        try (var lock = DataDirectoryLock.acquire(directory);
             EmbeddedPostgres postgres = configuration.embeddedPostgres(directory, lock);
             var dataSource = (HikariDataSource) configuration.dataSource(postgres)) {
            assertThat(orphan.isAlive()).as("the left-over server was stopped").isFalse();
            assertThat(JdbcClient.create(dataSource).sql("select what from kept").query(String.class).single())
                    .isEqualTo("accepted before the kill");
        }
    }

    @Test
    void aServerOfALivePortalIsNeverTouched() throws Exception {
        var directory = new DataDirectory(dataDir);
        try (var lock = DataDirectoryLock.acquire(directory);
             EmbeddedPostgres postgres = configuration.embeddedPostgres(directory, lock)) {
            ProcessHandle running = LeftoverPostgres.running(dataDir.resolve("postgres/postmaster.pid")).orElseThrow();
            assertThatThrownBy(() -> DataDirectoryLock.acquire(directory))
                    .hasMessageContaining("Another Slipway portal is running on the data directory");
            Thread.sleep(Duration.ofMillis(200));
            assertThat(running.isAlive()).isTrue();
            assertThat(postgres.getPostgresDatabase().getConnection().isValid(2)).isTrue();
        }
    }
}
