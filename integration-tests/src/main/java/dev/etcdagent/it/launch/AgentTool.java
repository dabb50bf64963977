package dev.etcdagent.it.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The operator's tool, {@code java -jar etcd-agent.jar ...}, run as an operator runs it. */
public final class AgentTool {

    /** The longest one run may take before it is destroyed. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String endpoints;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> options = new ArrayList<>();

    private AgentTool(String endpoints) {
        this.endpoints = endpoints;
    }

    /** The tool for this etcd: {@code --endpoints} is given on every run. */
    public static AgentTool forEndpoints(String endpoints) {
        return new AgentTool(endpoints);
    }

    /** The same tool with an environment variable set for every run (e.g. ETCD_AGENT_PASSWORD). */
    public AgentTool env(String name, String value) {
        AgentTool copy = copy();
        copy.env.put(name, value);
        return copy;
    }

    /** The same tool with more options on every run (e.g. --user). */
    public AgentTool with(String... more) {
        AgentTool copy = copy();
        copy.options.addAll(List.of(more));
        return copy;
    }

    private AgentTool copy() {
        AgentTool copy = new AgentTool(endpoints);
        copy.env.putAll(env);
        copy.options.addAll(options);
        return copy;
    }

    /** One run of the tool, to its end. */
    public Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(AgentJvm.javaBinary(), "-jar", AgentJvm.agentJar().toString()));
        command.addAll(List.of(args));
        if (endpoints != null) {
            command.add("--endpoints");
            command.add(endpoints);
        }
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("ETCD_AGENT_"));
        builder.environment().putAll(env);
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("the tool did not end within " + TIMEOUT + ": " + command);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new Result(process.exitValue(), out.get(), err.get(), millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one run gave: exit status, stdout, stderr, and its wall time. */
    public static final class Result {
        public final int exitStatus;
        public final String stdout;
        public final String stderr;
        public final long millis;

        Result(int exitStatus, String stdout, String stderr, long millis) {
            this.exitStatus = exitStatus;
            this.stdout = stdout;
            this.stderr = stderr;
            this.millis = millis;
        }

        public List<String> lines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exitStatus + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
