package dev.etcdagent.it.matrix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Go gRPC client of integration-tests/apps/go-client, built with Debian's {@code golang-go} in GOPATH
 * mode (offline) against {@code golang-etcd-server-dev}'s etcd client and resolver, then run as a process.
 */
final class GoGrpcClient {

    private static final String GOPATH = "/usr/share/gocode";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;

    private GoGrpcClient(Path binary) {
        this.binary = binary;
    }

    /** Builds the client into the work directory. */
    static GoGrpcClient build() throws IOException, InterruptedException {
        if (!Files.isDirectory(Paths.get(GOPATH, "src/go.etcd.io/etcd/clientv3/naming/resolver"))) {
            throw new IllegalStateException(GOPATH + " has no etcd resolver: run integration-tests/bin/setup"
                    + " (installs golang-go and golang-etcd-server-dev)");
        }
        Path source = Paths.get(System.getProperty("it.matrix.apps", "integration-tests/apps"), "go-client", "main.go")
                .toAbsolutePath();
        Path binary = Files.createDirectories(Paths.get(System.getProperty("it.work.dir",
                System.getProperty("java.io.tmpdir")), "go-client")).resolve("go-client");
        Result build = run(List.of("go", "build", "-o", binary.toString(), source.toString()), BUILD_TIMEOUT);
        if (build.exitCode != 0) {
            throw new IllegalStateException("go build of " + source + " failed (exit " + build.exitCode + "): "
                    + build.stderr);
        }
        return new GoGrpcClient(binary);
    }

    /** Calls matrix.Values/Get {@code calls} times through {@code etcd://} + service with {@code policy}. */
    Result call(String etcdEndpoint, String service, String policy, int calls) throws IOException, InterruptedException {
        return run(command(etcdEndpoint, service, policy, "-calls", Integer.toString(calls)));
    }

    /** Calls matrix.Values/Get until {@code servers} different servers have answered, for at most 20 s. */
    Result callUntilServers(String etcdEndpoint, String service, String policy, int servers)
            throws IOException, InterruptedException {
        return run(command(etcdEndpoint, service, policy, "-until-servers", Integer.toString(servers), "-within", "20s"));
    }

    private List<String> command(String etcdEndpoint, String service, String policy, String... more) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-endpoints", etcdEndpoint,
                "-target", "etcd:///" + service, "-policy", policy));
        command.addAll(List.of(more));
        return command;
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, RUN_TIMEOUT);
    }

    private static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("go-out", ".txt");
        Path err = Files.createTempFile("go-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = builder.environment();
            env.put("GO111MODULE", "off");
            env.put("GOPATH", GOPATH);
            env.put("GOPROXY", "off");
            env.remove("GOFLAGS");
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " still running after " + timeout
                        + "; stderr: " + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A finished run: exit code, stdout lines, stderr text. */
    static final class Result {
        final int exitCode;
        final List<String> lines;
        final String stderr;

        Result(int exitCode, List<String> lines, String stderr) {
            this.exitCode = exitCode;
            this.lines = new ArrayList<>(lines);
            this.stderr = stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", stdout " + lines + ", stderr " + stderr;
        }
    }
}
