package dev.etcdagent.it.matrix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.Etcdctl;
import dev.etcdagent.it.launch.KeyEvents;
import dev.etcdagent.it.launch.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The checks every case of the compatibility matrix makes on its real application (issue 9):
 * <ol>
 *   <li>it registers its port, and only it, as {@code {"Op":0,"Addr":"127.0.0.1:port","Metadata":null}};</li>
 *   <li>the {@code @Dynamic} field and {@code System.getProperty} follow a put within {@link #FOLLOW}
 *       and return to the declared and the JVM's value on delete;</li>
 *   <li>SIGTERM removes the key at once and it stays gone for 3 × ttl;</li>
 *   <li>nothing new on stdout compared with the same application run without the agent, and nothing on
 *       stderr but the agent's own {@code [etcd-agent]} lines.</li>
 * </ol>
 * Use {@link #checkAll()}, or the steps one by one for a case that needs something in between.
 */
public final class FrameworkChecks {

    /** How soon a put or a delete must reach the running application (issue 9). */
    public static final Duration FOLLOW = Duration.ofSeconds(1);
    /** The registration TTL of every case: SIGTERM must remove the key before etcd could expire it. */
    public static final int TTL_SECONDS = 3;
    /** Launch to first answer, and exit: generous, for Spring Boot on a loaded 2-core machine. */
    public static final Duration WAIT = Duration.ofMinutes(3);
    /** From the first answer; generous for a loaded machine (the agent registers within 1 s of the bind). */
    private static final Duration REGISTERED_WITHIN = Duration.ofSeconds(15);
    private static final String AGENT_LINE = "[etcd-agent]";
    /** Tokens that differ between two runs of the same application: hash codes, hex ids, numbers. */
    private static final Pattern RUN_SPECIFIC = Pattern.compile("\\b(?=[0-9a-fA-F]*[0-9])[0-9a-fA-F]+\\b");
    /** What is left of numbers: digits before a unit, grouping and decimals ("[1,019] ms", "in 5.539s"). */
    private static final Pattern NUMBER = Pattern.compile("[0-9#]+([.,][0-9#]+)*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MatrixCase app;
    private final Etcdctl etcdctl;
    private final String service;
    private final String agentArgs;
    private final Function<AgentJvm.Builder, AgentJvm> starter;

    /**
     * @param agentArgs the agent's arguments; they must include {@code service}, {@code host=127.0.0.1}
     *                  and {@code ttl=}{@value #TTL_SECONDS} (see {@code AgentTestSupport.agentArgs})
     * @param starter   starts a JVM and tracks it, so that it is stopped after the test whatever happens
     */
    public FrameworkChecks(MatrixCase app, Etcdctl etcdctl, String service, String agentArgs,
                           Function<AgentJvm.Builder, AgentJvm> starter) {
        this.app = app;
        this.etcdctl = etcdctl;
        this.service = service;
        this.agentArgs = agentArgs;
        this.starter = starter;
    }

    /**
     * Every check, in order: the run without the agent first, then the run with it. A failing check does
     * not stop the later ones; all failures are reported together, so one run shows what works.
     */
    public StartupFigures checkAll() {
        Run without = runWithoutAgent();
        int port = FreePorts.next();
        KeyEvents registrations;
        try {
            registrations = new KeyEvents(etcdctl.endpoints(), service + "/");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (registrations) {
            return checkAll(without, port, registrations);
        }
    }

    private StartupFigures checkAll(Run without, int port, KeyEvents registrations) {
        AgentJvm jvm = starter.apply(app.launcher(agentArgs, port));
        long answer = app.awaitFirstAnswer(jvm, port, WAIT);
        long answerNanos = jvm.startNanos() + TimeUnit.MILLISECONDS.toNanos(answer);
        Failures failures = new Failures(app);
        failures.check("declared values at start", () -> assertObserved(port, MatrixCase.FIELD_DECLARED, MatrixCase.PROPERTY_JVM));
        boolean registered = failures.check("registration", () -> registersOnly(port));
        failures.check("live values", () -> followsPutsAndDeletes(port));
        if (registered) {
            failures.check("registration after the changes", () -> registersOnly(port));
        }
        long[] exit = {-1};
        failures.check("SIGTERM", () -> exit[0] = sigtermRemovesTheKeyForGood(jvm));
        failures.check("exit code", () -> assertThat(jvm.waitForExit(WAIT)).as("exit code of %s with the agent", app)
                .isEqualTo(without.exitCode));
        failures.check("output", () -> outputUnchanged(without, jvm));
        // Issue 18: never another port, not even for a moment (a management port opened beside it).
        failures.check("only this port ever registered", () -> assertThat(registrations.keys("PUT"))
                .as("every registration %s put", app).containsOnly(service + "/127.0.0.1:" + port));
        failures.throwIfAny();
        long keyNanos = registrations.await("PUT", service + "/", 0, Duration.ofSeconds(1));
        return new StartupFigures(app.name(), without.answerMs, answer, without.exitMs, exit[0],
                TimeUnit.NANOSECONDS.toMillis(keyNanos - answerNanos));
    }

    /** The application without the agent: launched, answering its declared values, stopped with SIGTERM. */
    public Run runWithoutAgent() {
        return runWithoutAgent(jvm -> { });
    }

    /**
     * The same, {@code beforeStop} run before the SIGTERM: an application that goes on starting after its first
     * answer (Spring Boot's management server) must have printed what the run with the agent will have printed.
     */
    public Run runWithoutAgent(java.util.function.Consumer<AgentJvm> beforeStop) {
        int port = FreePorts.next();
        AgentJvm jvm = starter.apply(app.launcher(null, port));
        long answer = app.awaitFirstAnswer(jvm, port, WAIT);
        assertObserved(port, MatrixCase.FIELD_DECLARED, MatrixCase.PROPERTY_JVM);
        beforeStop.accept(jvm);
        long exit = MatrixCase.sigtermToExitMillis(jvm, WAIT);
        return new Run(jvm, answer, exit, jvm.waitForExit(WAIT));
    }

    /** Exactly one key under the service, for this port, in the value format of etcd's naming package. */
    public void registersOnly(int port) {
        Map<String, String> registered = await("a registration under " + service + " (the agent saw no bind of "
                + app + ", or could not register it)").atMost(REGISTERED_WITHIN)
                .until(() -> etcdctl.getPrefix(service + "/"), keys -> !keys.isEmpty());
        String address = "127.0.0.1:" + port;
        assertThat(registered).as("%s registers its port %d and only it", app, port)
                .containsOnlyKeys(service + "/" + address);
        assertThat(json(registered.values().iterator().next())).as("registration value of %s", app)
                .isEqualTo(json("{\"Op\":0,\"Addr\":\"" + address + "\",\"Metadata\":null}"));
    }

    /** A put reaches the field and the property within {@link #FOLLOW}; a delete restores their own values. */
    public void followsPutsAndDeletes(int port) {
        String config = "/config" + service + "/";
        etcdctl.put(config + MatrixCase.FIELD_KEY, "from-etcd-1");
        awaitObserved(port, "dynamic", "from-etcd-1");
        etcdctl.put(config + MatrixCase.PROPERTY, "from-etcd-2");
        awaitObserved(port, "property", "from-etcd-2");
        etcdctl.del(config + MatrixCase.FIELD_KEY);
        awaitObserved(port, "dynamic", MatrixCase.FIELD_DECLARED);
        etcdctl.del(config + MatrixCase.PROPERTY);
        awaitObserved(port, "property", MatrixCase.PROPERTY_JVM);
    }

    /** SIGTERM: the key is gone once the JVM has exited, and never comes back. Returns SIGTERM to exit, ms. */
    public long sigtermRemovesTheKeyForGood(AgentJvm jvm) {
        long exit = MatrixCase.sigtermToExitMillis(jvm, WAIT);
        // Well inside the TTL: only the revoke at exit removes the key this soon.
        await("no registration under " + service + " after SIGTERM").atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20)).until(() -> etcdctl.getPrefix(service + "/").isEmpty());
        await("still no registration under " + service + " " + 3 * TTL_SECONDS + " s after SIGTERM")
                .during(Duration.ofSeconds(3L * TTL_SECONDS)).atMost(Duration.ofSeconds(3L * TTL_SECONDS + 10))
                .pollInterval(Duration.ofMillis(250)).until(() -> etcdctl.getPrefix(service + "/").isEmpty());
        return exit;
    }

    /** After both runs have exited: the agent added no stdout line and no stderr line but its own. */
    public void outputUnchanged(Run without, AgentJvm with) {
        // A line quoting the -javaagent argument is the application's own (Tomcat logs its command line on
        // stderr, WildFly's script echoes JAVA_OPTS on stdout).
        List<String> stdout = with.stdout().awaitEnd(WAIT).stream().filter(line -> !line.contains("-javaagent:"))
                .collect(Collectors.toList());
        List<String> stderr = with.stderr().awaitEnd(WAIT).stream()
                .filter(line -> !line.startsWith(AGENT_LINE) && !line.contains("-javaagent:"))
                .collect(Collectors.toList());
        assertThat(added(without.jvm.stdout().awaitEnd(WAIT), stdout))
                .as("lines on the stdout of %s that the agent added (%s)", app, with.stdout().file()).isEmpty();
        assertThat(added(without.jvm.stderr().awaitEnd(WAIT), stderr))
                .as("lines on the stderr of %s that are neither the application's own nor the agent's (%s)",
                        app, with.stderr().file()).isEmpty();
    }

    private void assertObserved(int port, String dynamic, String property) {
        Map<String, String> observed = observed(port);
        assertThat(observed).as("what %s observes", app).containsEntry("dynamic", dynamic)
                .containsEntry("property", property);
    }

    private void awaitObserved(int port, String name, String value) {
        await(app + " observing " + name + "=" + value).atMost(FOLLOW).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> observed(port).get(name), value::equals);
    }

    private Map<String, String> observed(int port) {
        try {
            return app.probe().values(port);
        } catch (Exception e) {
            throw new AssertionError(app + " did not answer on port " + port + ": " + e, e);
        }
    }

    /** The lines of {@code with} that {@code without} does not have, numbers and hash codes aside. */
    private static List<String> added(List<String> without, List<String> with) {
        Map<String, Integer> available = new HashMap<>();
        without.forEach(line -> available.merge(normalized(line), 1, Integer::sum));
        List<String> added = new ArrayList<>();
        for (String line : with) {
            if (available.merge(normalized(line), -1, Integer::sum) < 0) {
                added.add(line);
            }
        }
        return added;
    }

    private static String normalized(String line) {
        // Quarkus logs "stopped" from main or from its shutdown hook, whichever gets there first.
        String masked = NUMBER.matcher(RUN_SPECIFIC.matcher(line).replaceAll("#")).replaceAll("#");
        return masked.replace("(Shutdown thread) ", "(main) ");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The failed checks of one case, each with its name. */
    private static final class Failures {
        private final MatrixCase app;
        private final List<String> names = new ArrayList<>();
        private final List<Throwable> causes = new ArrayList<>();

        Failures(MatrixCase app) {
            this.app = app;
        }

        /** Runs the check; false when it failed. */
        boolean check(String name, Runnable check) {
            try {
                check.run();
                return true;
            } catch (AssertionError | RuntimeException e) {
                names.add(name + ": " + String.valueOf(e.getMessage()).trim());
                causes.add(e);
                return false;
            }
        }

        void throwIfAny() {
            if (causes.isEmpty()) {
                return;
            }
            AssertionError error = new AssertionError(app + " failed " + causes.size() + " check(s):\n- "
                    + String.join("\n- ", names));
            causes.forEach(error::addSuppressed);
            throw error;
        }
    }

    /** One run of the application without the agent, already exited. */
    public static final class Run {
        final AgentJvm jvm;
        final long answerMs;
        final long exitMs;
        final int exitCode;

        Run(AgentJvm jvm, long answerMs, long exitMs, int exitCode) {
            this.jvm = jvm;
            this.answerMs = answerMs;
            this.exitMs = exitMs;
            this.exitCode = exitCode;
        }
    }
}
