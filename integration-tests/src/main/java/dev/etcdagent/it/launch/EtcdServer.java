package dev.etcdagent.it.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * A real etcd ({@code /usr/bin/etcd}) on free loopback ports with a temporary data directory,
 * alone or as a member of an {@link EtcdCluster}. Always stopped and deleted by {@link #close()}.
 */
public final class EtcdServer implements AutoCloseable {

    private static final String ETCD = "/usr/bin/etcd";
    static final int START_ATTEMPTS = 3;

    private final String name;
    private final int clientPort;
    private final int peerPort;
    private final List<String> extraArgs;
    private final String scheme;
    private final List<String> clientArgs;
    private final Path baseDir;
    private Path dataDir;
    private String initialCluster;
    private String clusterToken;
    private Process process;
    private boolean frozen;
    private int starts;
    /** The user id this member runs as; -1: the test's own. */
    private int uid = -1;

    EtcdServer(String name, int clientPort, int peerPort, String scheme, List<String> extraArgs,
               List<String> clientArgs) {
        this.clientArgs = List.copyOf(clientArgs);
        this.name = name;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.scheme = scheme;
        this.extraArgs = List.copyOf(extraArgs);
        try {
            this.baseDir = Files.createTempDirectory("etcd-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.dataDir = baseDir.resolve("data");
        this.initialCluster = name + "=" + peerUrl();
        this.clusterToken = "it-" + UUID.randomUUID();
    }

    /** A single-member etcd, started and healthy. */
    public static EtcdServer start() {
        return start("http", List.of());
    }

    /** A single-member etcd with extra flags (TLS, for example), started and healthy. */
    public static EtcdServer start(String scheme, List<String> extraArgs) {
        return start(scheme, extraArgs, List.of());
    }

    /**
     * A single-member etcd with extra server flags, and the etcdctl flags ({@code --cacert},
     * {@code --cert}, {@code --key}) that a client needs to talk to it.
     */
    public static EtcdServer start(String scheme, List<String> extraArgs, List<String> clientArgs) {
        for (int attempt = 1; ; attempt++) {
            EtcdServer server = new EtcdServer("solo", FreePorts.next(), FreePorts.next(), scheme, extraArgs,
                    clientArgs);
            try {
                server.launch();
                server.awaitHealthy();
                return server;
            } catch (RuntimeException e) {
                boolean portTaken = server.lostPortRace();
                server.close();
                if (!portTaken || attempt == START_ATTEMPTS) {
                    throw e;
                }
                // Another process took a port between FreePorts and etcd's bind: new ports.
            }
        }
    }

    /** A cluster of {@code size} members, each its own process, data directory and loopback ports. */
    public static EtcdCluster cluster(int size) {
        return EtcdCluster.start(size);
    }

    void joinCluster(String cluster, String token) {
        this.initialCluster = cluster;
        this.clusterToken = token;
    }

    String name() {
        return name;
    }

    String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    public int peerPort() {
        return peerPort;
    }

    /** The user id the member runs as (-1: the test's own). */
    public int uid() {
        return uid;
    }

    /**
     * Runs this member as user {@code id} (the test must be root): on loopback every member's
     * packets come from 127.0.0.1, and its own user id is what tells its packets apart.
     */
    void runAs(int id) {
        this.uid = id;
    }

    public String endpoint() {
        return scheme + "://127.0.0.1:" + clientPort;
    }

    /** etcdctl for this server, with the client flags it was started with. */
    public Etcdctl etcdctl() {
        return new Etcdctl(endpoint(), clientArgs);
    }

    public int clientPort() {
        return clientPort;
    }

    public Path baseDir() {
        return baseDir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    synchronized void launch() {
        List<String> command = new ArrayList<>(List.of(ETCD,
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peerUrl(),
                "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-token", clusterToken,
                "--initial-cluster-state", "new",
                "--logger", "zap",
                "--log-outputs", "stderr"));
        command.addAll(extraArgs);
        if (uid >= 0) {
            ownBaseDirBy(uid);
            command.addAll(0, List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--"));
        }
        starts++;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(baseDir.resolve("etcd-" + starts + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + ETCD + " (install etcd-server)", e);
        }
    }

    private void ownBaseDirBy(int id) {
        try {
            Process chown = new ProcessBuilder("chown", "-R", id + ":" + id, baseDir.toString())
                    .redirectErrorStream(true).start();
            if (!chown.waitFor(10, TimeUnit.SECONDS) || chown.exitValue() != 0) {
                throw new IllegalStateException("chown -R " + id + " " + baseDir + " failed (run the tests as root)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until this member answers /health with true (it has a leader); fails at once if etcd exits. */
    public void awaitHealthy() {
        try {
            Awaitility.await("etcd " + name + " healthy at " + endpoint()).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> !process.isAlive() || healthy());
        } catch (RuntimeException e) {
            throw new IllegalStateException("etcd " + name + " did not become healthy; its log ends with:\n"
                    + logTail(), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("etcd " + name + " exited with " + process.exitValue()
                    + "; its log ends with:\n" + logTail());
        }
    }

    /** Whether the last start failed because a port was already taken. */
    boolean lostPortRace() {
        return process != null && !process.isAlive() && logTail().contains("address already in use");
    }

    /** The current log file (etcd's stdout and stderr). */
    public Path logFile() {
        return baseDir.resolve("etcd-" + starts + ".log");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private boolean healthy() throws IOException {
        if (!"http".equals(scheme)) {
            // etcdctl reports health on stderr and fails with a non-zero exit when unhealthy.
            etcdctl().run("endpoint", "health");
            return true;
        }
        HttpURLConnection connection = (HttpURLConnection) new URL(endpoint() + "/health").openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(1000);
        try {
            return connection.getResponseCode() == 200
                    && new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .contains("\"true\"");
        } finally {
            connection.disconnect();
        }
    }

    /** SIGTERM, and wait for the process to end. */
    public synchronized void stop() {
        thaw();
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    /** kill -9. */
    public synchronized void kill() {
        thaw();
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** SIGSTOP: etcd keeps its sockets open and answers nothing. */
    public synchronized void freeze() {
        Signals.send(process.pid(), "STOP");
        frozen = true;
    }

    /** SIGCONT. */
    public synchronized void thaw() {
        if (frozen && process != null && process.isAlive()) {
            Signals.send(process.pid(), "CONT");
        }
        frozen = false;
    }

    /** Starts again, same ports and data; for a single member, waits until healthy. */
    public synchronized void restart() {
        stop();
        launch();
        if (!initialCluster.contains(",")) {
            awaitHealthy();
        }
    }

    /** Starts the process again after a stop or kill, without waiting. */
    public synchronized void startAgain() {
        launch();
    }

    /** Kills etcd, deletes its data and starts a new, empty cluster at the same address. */
    public synchronized void wipe() {
        kill();
        deleteTree(dataDir);
        dataDir = baseDir.resolve("data-" + (starts + 1));
        clusterToken = "it-" + UUID.randomUUID();
        launch();
        awaitHealthy();
    }

    /**
     * Kills etcd and starts it again with the same flags on an empty data directory, as a container
     * without a volume does: the cluster id stays (it comes from the flags), the revision begins again at 1.
     */
    public synchronized void wipeKeepingClusterId() {
        kill();
        deleteTree(dataDir);
        launch();
        awaitHealthy();
    }

    /** Compacts the history at the current revision ({@code etcdctl compact --physical}); returns it. */
    public long compact() {
        Etcdctl etcdctl = etcdctl();
        long revision = etcdctl.revision();
        etcdctl.compact(revision);
        return revision;
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        try {
            kill();
        } finally {
            deleteTree(baseDir);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort: temp files
        }
    }
}
