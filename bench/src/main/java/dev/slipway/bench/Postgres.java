package dev.slipway.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL server (embedded zonky) owned by this JVM, so that it survives the portals it serves
 * being killed. Each scenario gets its own database on it.
 */
public final class Postgres implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");
    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";

    private final EmbeddedPostgres server;
    private final Path dataDir;

    private Postgres(EmbeddedPostgres server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** Starts a fresh server with its data in {@code dataDir}, listening on 127.0.0.1 only. */
    public static Postgres start(Path dataDir) {
        try {
            return new Postgres(EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start(), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** CPU time the server and its backends used so far, in nanoseconds, or -1 when that cannot be read. */
    public long cpuNanos() {
        try {
            long pid = Long.parseLong(java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim());
            return ProcessHandle.of(pid).map(postmaster -> Stream.concat(Stream.of(postmaster),
                            postmaster.descendants())
                    .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum())
                    .orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Creates an empty database; the portal migrates it with Flyway at start-up. */
    public Database createDatabase(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a database name for this harness: " + name);
        }
        var database = new Database(name);
        try (Connection connection = new Database("postgres").connect();
             var statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return database;
    }

    /** One database on this server. */
    public final class Database {
        private final String name;

        private Database(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + name;
        }

        /** SPRING_DATASOURCE_URL/USERNAME/PASSWORD for a portal: replaces its embedded database. */
        public Map<String, String> portalEnv() {
            return Map.of("SPRING_DATASOURCE_URL", jdbcUrl(), "SPRING_DATASOURCE_USERNAME", USER,
                    "SPRING_DATASOURCE_PASSWORD", PASSWORD);
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
