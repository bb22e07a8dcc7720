package dev.slipway.portal.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A portal's database start in a process of its own, for a test to kill with SIGKILL: it starts
 * local mode's PostgreSQL on the data directory it is given, stores a row, says "ready" and waits.
 */
public final class KilledPortal {

    public static void main(String[] args) throws Exception {
        var directory = new DataDirectory(Path.of(args[0]));
        var configuration = new LocalDatabaseConfiguration();
        var lock = configuration.dataDirectoryLock(directory);
        EmbeddedPostgres postgres = configuration.embeddedPostgres(directory, lock);
        var dataSource = (HikariDataSource) configuration.dataSource(postgres);
        var jdbc = JdbcClient.create(dataSource);
        jdbc.sql("create table if not exists kept (what text)").update();
        jdbc.sql("insert into kept values ('accepted before the kill')").update();
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private KilledPortal() {
    }
}
