package dev.etcdagent.it.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;
import dev.etcdagent.it.launch.KeyEvents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Boot 3 executable fat jars: MVC on Tomcat with Actuator on a separate management port (on JDK 17 and on
 * Temurin 25), and WebFlux on Reactor Netty's native epoll transport. Besides the matrix's checks, Spring's own
 * ways of reading configuration see {@code /config/<service>/promo.enabled} at start-up through
 * {@code System.getProperties()}; {@code Environment.getProperty} also follows it afterwards.
 */
class SpringBootIT extends MatrixTestSupport {

    @Test
    void mvcFatJarRegistersTheApplicationPortNotTheManagementPort() {
        int managementPort = FreePorts.next();
        checkSpring(PackagedApps.springMvc("Spring Boot 3.5 MVC fat jar", AgentJvm.javaBinary(), managementPort),
                jvm -> assertThat(listening(managementPort)).as("Actuator's management port %d", managementPort)
                        .isTrue());
    }

    @Test
    void springBoot4MvcFatJarRegistersTheApplicationPortNotTheManagementPort() {
        int managementPort = FreePorts.next();
        checkSpring(PackagedApps.spring4Mvc(managementPort), jvm -> assertThat(listening(managementPort))
                .as("Actuator's management port %d", managementPort).isTrue());
    }

    @Test
    void mvcFatJarOnJdk25() {
        assumeThat(PackagedApps.java25()).as("Temurin 25 under /usr/lib/jvm").isPresent();
        checkSpring(PackagedApps.springMvc("Spring Boot 3.5 MVC fat jar on JDK 25", PackagedApps.java25().orElseThrow(),
                FreePorts.next()), jvm -> { });
    }

    @Test
    void webFluxOnNativeEpollIsRegistered() {
        checkSpring(PackagedApps.springWebFlux(), jvm -> assertThat(mappedFiles(jvm))
                .as("Reactor Netty on its native epoll transport").contains("netty_transport_native_epoll"));
    }

    /** The matrix's checks step by step, with Spring's view of etcd's values and {@code whileRunning} in between. */
    private void checkSpring(MatrixCase app, Consumer<AgentJvm> whileRunning) {
        String service = newService();
        String agentArgs = agentArgs(service, "ttl=" + FrameworkChecks.TTL_SECONDS);
        FrameworkChecks checks = new FrameworkChecks(app, etcdctl, service, agentArgs, this::start);
        // Spring Boot's last start-up line comes after the management server's: the run without the agent must
        // have printed all the lines the longer run with it prints.
        FrameworkChecks.Run without = checks.runWithoutAgent(
                jvm -> jvm.stdout().await("Started \\S+ in ", FrameworkChecks.WAIT));
        String springKey = "/config" + service + "/" + PackagedApps.SPRING_KEY;
        etcdctl.put(springKey, "true");
        int port = FreePorts.next();
        KeyEvents registrations;
        try {
            registrations = track(new KeyEvents(etcdctl.endpoints(), service + "/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AgentJvm jvm = start(app.launcher(agentArgs, port));
        long answerNanos = jvm.startNanos() + TimeUnit.MILLISECONDS.toNanos(app.awaitFirstAnswer(jvm, port,
                FrameworkChecks.WAIT));

        assertThat(values(app, port)).as("what Spring saw of %s at start-up", springKey)
                .containsEntry("value", "true").containsEntry("environment", "true")
                .containsEntry("configurationProperties", "true");
        checks.registersOnly(port);
        long keyAfterAnswerMs = TimeUnit.NANOSECONDS.toMillis(
                registrations.await("PUT", service + "/", 0, Duration.ofSeconds(1)) - answerNanos);
        System.out.println("[matrix] " + app + ": key in etcd " + (keyAfterAnswerMs > 0 ? keyAfterAnswerMs
                + " ms after" : -keyAfterAnswerMs + " ms before") + " the first answer");
        checks.followsPutsAndDeletes(port);
        etcdctl.put(springKey, "false");
        await("Environment.getProperty following " + springKey).atMost(FrameworkChecks.FOLLOW)
                .pollInterval(Duration.ofMillis(10)).until(() -> values(app, port).get("environment"), "false"::equals);
        if (values(app, port).containsKey("liveValue")) {
            // The WebFlux application also has an @Value field of a singleton bean: that one follows (SpringLiveIT has the rest).
            await("an @Value field of " + app + " following " + springKey).atMost(FrameworkChecks.FOLLOW)
                    .pollInterval(Duration.ofMillis(10)).until(() -> values(app, port).get("liveValue"), "false"::equals);
        }
        assertThat(values(app, port)).as("a constructor-injected @Value and a record @ConfigurationProperties:"
                + " bound once, at start-up (SpringLiveIT covers the live kinds)")
                .containsEntry("value", "true").containsEntry("configurationProperties", "true");
        whileRunning.accept(jvm);
        checks.registersOnly(port);
        checks.sigtermRemovesTheKeyForGood(jvm);
        assertThat(jvm.waitForExit(FrameworkChecks.WAIT)).as("exit code, as without the agent").isEqualTo(without.exitCode);
        checks.outputUnchanged(without, jvm);
        assertThat(registrations.keys("PUT")).as("every registration %s put", app)
                .containsOnly(service + "/127.0.0.1:" + port);
    }

    private static Map<String, String> values(MatrixCase app, int port) {
        try {
            return app.probe().values(port);
        } catch (Exception e) {
            throw new AssertionError(app + " did not answer on port " + port, e);
        }
    }

    /** A TCP connect only: an HTTP request would make Spring log its management servlet's start. */
    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String mappedFiles(AgentJvm jvm) {
        try {
            return Files.readString(Paths.get("/proc/" + jvm.pid() + "/maps"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
