package dev.slipway.portal.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Local mode's database: an embedded PostgreSQL whose data lives under the data directory and so
 * survives restarts. A configured {@code spring.datasource.url} replaces it entirely.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class LocalDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LocalDatabaseConfiguration.class);

    /** Held while the portal runs; released by the kernel however it ends. */
    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(DataDirectory dataDir) {
        return DataDirectoryLock.acquire(dataDir);
    }

    /**
     * @param lock this portal's claim on the data directory: a server still running on it was left
     *             by a portal that died, and is stopped before this one starts its own
     */
    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DataDirectory dataDir, DataDirectoryLock lock) throws IOException {
        Path pgData = dataDir.resolve("postgres");
        Files.createDirectories(pgData);
        LeftoverPostgres.stop(pgData, java.time.Duration.ofSeconds(30));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .start();
        log.info("Local mode: embedded PostgreSQL on port {} with data in {}", postgres.getPort(), pgData);
        return postgres;
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        var dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("slipway-local");
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }
}
