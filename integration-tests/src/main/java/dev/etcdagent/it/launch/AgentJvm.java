package dev.etcdagent.it.launch;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real child JVM, started with {@code -javaagent:agent/target/etcd-agent.jar=...} (or without the
 * agent, for comparison), its stdout and stderr captured line by line. Always ended by {@link #close()}.
 */
public final class AgentJvm implements AutoCloseable {

    private final Process process;
    private final List<String> command;
    private final OutputLog stdout;
    private final OutputLog stderr;
    private final Path dir;
    private final long startNanos;
    private boolean stopped;

    private AgentJvm(Process process, List<String> command, Path dir, long startNanos) {
        this.process = process;
        this.command = List.copyOf(command);
        this.dir = dir;
        this.startNanos = startNanos;
        this.stdout = new OutputLog(process.getInputStream(), dir.resolve("stdout.txt"), "stdout-" + process.pid());
        this.stderr = new OutputLog(process.getErrorStream(), dir.resolve("stderr.txt"), "stderr-" + process.pid());
    }

    /** A JVM with the agent and these agent arguments ({@code key=value,...}). */
    public static Builder withAgent(String agentArgs) {
        return new Builder(agentArgs);
    }

    public static Builder withoutAgent() {
        return new Builder(null);
    }

    /** The agent jar built by the agent module. */
    public static Path agentJar() {
        Path jar = Paths.get(System.getProperty("etcd.agent.jar", "agent/target/etcd-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -B package -DskipTests");
        }
        return jar.toAbsolutePath();
    }

    /** The java binary children run on: it.java if set, else this JVM's own. */
    public static String javaBinary() {
        String configured = System.getProperty("it.java", "");
        if (!configured.isBlank()) {
            return configured;
        }
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    public OutputLog stdout() {
        return stdout;
    }

    public OutputLog stderr() {
        return stderr;
    }

    /** The command line this JVM was started with. */
    public List<String> command() {
        return command;
    }

    /** The directory holding this JVM's command line, stdout and stderr files (also its working directory). */
    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    /** When this JVM was started, by System.nanoTime. */
    public long startNanos() {
        return startNanos;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Writes a line to the application's stdin. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void sigterm() {
        Signals.send(process.pid(), "TERM");
    }

    public void kill9() {
        process.destroyForcibly();
    }

    public void sigstop() {
        Signals.send(process.pid(), "STOP");
        stopped = true;
    }

    public void sigcont() {
        Signals.send(process.pid(), "CONT");
        stopped = false;
    }

    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("JVM " + pid() + " still running after " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (stopped) {
            sigcont();
        }
        if (process.isAlive()) {
            // A launcher script's JVM first (WildFly's standalone.sh runs it as a child): killing the script
            // alone would leave it running, listening on its ports.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builds and starts a child JVM. */
    public static final class Builder {
        private final String agentArgs;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> classpath = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private String java = javaBinary();
        private String mainClass;
        private String jar;
        private List<String> launcher;
        private boolean withAppClasses = true;

        private Builder(String agentArgs) {
            this.agentArgs = agentArgs;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Puts an entry (a jar of the application's own) before the test applications. */
        public Builder classpathEntry(String entry) {
            classpath.add(entry);
            return this;
        }

        /** Leaves the test applications (and the bootstrap jar) off the class path: for -jar style apps. */
        public Builder withoutAppClasses() {
            withAppClasses = false;
            return this;
        }

        public Builder java(String binary) {
            java = binary;
            return this;
        }

        public Builder main(Class<?> type) {
            mainClass = type.getName();
            return this;
        }

        public Builder main(String type) {
            mainClass = type;
            return this;
        }

        /** Runs {@code java -jar path} (an executable jar: Spring Boot's, Quarkus's), without the test applications. */
        public Builder jar(String path) {
            jar = path;
            withAppClasses = false;
            return this;
        }

        /**
         * Runs this command instead of {@code java}: a launcher script that ends in {@code exec java} (Tomcat's
         * {@code catalina.sh run}), so that the process, its signals and its output are the JVM's. The agent
         * and JVM arguments then go through the script's environment ({@link #env}).
         */
        public Builder launcher(List<String> command) {
            launcher = List.copyOf(command);
            return this;
        }

        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        public AgentJvm start() {
            List<String> command = launcher != null ? launcher : javaCommand();
            try {
                Path dir = Files.createTempDirectory(workDir(), "agent-jvm-");
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
                builder.environment().keySet().removeIf(name -> name.startsWith("ETCD_AGENT_"));
                builder.environment().put("HOME", dir.toString());
                builder.environment().putAll(env);
                Files.writeString(dir.resolve("command.txt"), String.join(" ", command));
                long start = System.nanoTime();
                return new AgentJvm(builder.start(), command, dir, start);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private List<String> javaCommand() {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.add("-Xshare:auto");
            if (agentArgs != null) {
                command.add("-javaagent:" + agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
            }
            command.addAll(jvmArgs);
            List<String> path = new ArrayList<>(classpath);
            if (withAppClasses) {
                path.add(appClasses());
            }
            if (!path.isEmpty()) {
                command.add("-cp");
                command.add(String.join(File.pathSeparator, path));
            }
            if (jar != null) {
                command.add("-jar");
                command.add(jar);
            } else {
                command.add(mainClass);
            }
            command.addAll(args);
            return command;
        }

        /** Where child JVMs' directories (command line, stdout, stderr) go: it.work.dir, else the temp dir. */
        private static Path workDir() throws IOException {
            Path dir = Paths.get(System.getProperty("it.work.dir", System.getProperty("java.io.tmpdir")));
            return Files.createDirectories(dir);
        }

        /**
         * This module's compiled applications plus the bootstrap jar: what an application compiles against.
         * Surefire names both ({@code it.apps.classpath}, {@code it.bootstrap.jar}); run from a plain
         * class path (the demo, the benchmark), they are where this class and the annotations came from.
         */
        private static String appClasses() {
            String own = configuredPath("it.apps.classpath", AgentJvm.class);
            String bootstrap = configuredPath("it.bootstrap.jar", dev.etcdagent.Dynamic.class);
            return own + File.pathSeparator + bootstrap;
        }

        private static String configuredPath(String property, Class<?> fallback) {
            String configured = System.getProperty(property, "");
            if (!configured.isBlank() && Files.exists(Paths.get(configured))) {
                return configured;
            }
            return Paths.get(fallback.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        }
    }
}
