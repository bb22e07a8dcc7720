package dev.slipway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged portal ({@code portal/target/slipway-portal.jar}) as a child process on a free port of
 * 127.0.0.1, run by the same java binary as this JVM. Its console goes to {@code portal-N.log} in its
 * data directory (appended across restarts). {@link #kill()} is SIGKILL: nothing in the portal gets
 * a chance to clean up.
 */
public final class PortalProcess implements AutoCloseable {

    /** Environment variables of ours that must not leak from the caller's shell into a portal. */
    private static final List<String> SCRUBBED_PREFIXES = List.of("SLIPWAY_", "SPRING_", "LOG_FORMAT", "PORT",
            "AZURE_", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
    private static final Set<PortalProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger STARTS = new AtomicInteger();

    static {
        // a test or benchmark that dies must not leave portals behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> p.process.destroyForcibly())));
    }

    /**
     * What to start.
     *
     * @param dataDir  SLIPWAY_DATA_DIR (the writer's clone lives there)
     * @param env      extra environment, e.g. SLIPWAY_GITOPS_REMOTE and SPRING_DATASOURCE_URL/USERNAME/PASSWORD
     * @param jvmArgs  options for the portal's JVM
     */
    public record Options(Path dataDir, Map<String, String> env, List<String> jvmArgs) {
        public Options {
            env = Map.copyOf(env);
            jvmArgs = List.copyOf(jvmArgs);
        }

        public static Options of(Path dataDir, Map<String, String> env) {
            return new Options(dataDir, env, List.of("-Xmx1g"));
        }
    }

    private final Options options;
    private final Process process;
    private final int port;
    private final Path log;
    private final URI base;

    private PortalProcess(Options options, Process process, int port, Path log) {
        this.options = options;
        this.process = process;
        this.port = port;
        this.log = log;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** Where the portal's fat jar is: {@code -Dslipway.portal.jar}, else found from the working directory. */
    public static Path jar() {
        String configured = System.getProperty("slipway.portal.jar");
        List<Path> candidates = configured != null && !configured.isBlank() ? List.of(Path.of(configured))
                : List.of(Path.of("../portal/target/slipway-portal.jar"), Path.of("portal/target/slipway-portal.jar"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("The portal jar is missing (looked at " + candidates + "): package it first, "
                + "e.g. ./mvnw -pl portal -am package -DskipTests (./mvnw verify does it before bench)");
    }

    /** Starts a portal and waits until it is ready (at most {@code readiness}). */
    public static PortalProcess start(Options options, Duration readiness) {
        PortalProcess portal = launch(options);
        try {
            portal.awaitReady(readiness);
        } catch (RuntimeException e) {
            portal.kill();
            throw e;
        }
        return portal;
    }

    /** Starts a portal without waiting: several can start side by side, then {@link #awaitReady} each. */
    public static PortalProcess launch(Options options) {
        try {
            Files.createDirectories(options.dataDir());
            int port = freePort();
            Path log = options.dataDir().resolve("portal-" + STARTS.incrementAndGet() + ".log");
            var command = new ArrayList<String>();
            command.add(javaBinary());
            command.addAll(options.jvmArgs());
            command.addAll(List.of("-jar", jar().toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
            var builder = new ProcessBuilder(command)
                    .directory(options.dataDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> SCRUBBED_PREFIXES.stream().anyMatch(name::startsWith));
            env.put("SLIPWAY_DATA_DIR", options.dataDir().toAbsolutePath().toString());
            // the chart published elsewhere, as a platform team would: the benchmarks and the
            // nothing-lost tests count the commits of the changes they ask for, and nothing else
            env.put("SLIPWAY_CHART_REPO_URL", "https://git.example.invalid/platform/charts.git");
            // no sandbox clusters (Azure mode never has them): the sandbox benchmark asks for them
            env.put("SLIPWAY_SANDBOX_ENABLED", "false");
            env.putAll(options.env());
            var portal = new PortalProcess(options, builder.start(), port, log);
            RUNNING.add(portal);
            return portal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the portal", e);
        }
    }

    /** The same java binary as this JVM's. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Polls {@code /actuator/health/readiness} until it answers 200; fails early if the process died. */
    public void awaitReady(Duration timeout) {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var request = HttpRequest.newBuilder(base.resolve("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (http) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the portal exited with " + process.exitValue()
                            + " before it was ready; its log ends with:\n" + logTail(40));
                }
                try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the portal", e);
        }
        throw new IllegalStateException("the portal was not ready within " + timeout + "; its log ends with:\n"
                + logTail(40));
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        RUNNING.remove(this);
    }

    /**
     * SIGTERM, then SIGKILL if the portal is still there after {@code grace}.
     *
     * @return whether the portal went away on SIGTERM alone
     */
    public boolean stop(Duration grace) {
        process.destroy();
        boolean exited = awaitExit(grace);
        if (!exited) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
        RUNNING.remove(this);
        return exited;
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public URI base() {
        return base;
    }

    public Options options() {
        return options;
    }

    public Path log() {
        return log;
    }

    /** The last lines of the portal's log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Environment that points a portal at a database and a GitOps remote. */
    public static Map<String, String> env(Postgres.Database database, String gitOpsRemote) {
        var env = new LinkedHashMap<String, String>(database.portalEnv());
        env.put("SLIPWAY_GITOPS_REMOTE", gitOpsRemote);
        return env;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        RUNNING.remove(this);
    }

    @Override
    public String toString() {
        return "portal pid " + process.pid() + " on " + base;
    }
}
