package dev.etcdagent.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.apps.IsolationApp;
import dev.etcdagent.it.launch.AgentJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 2: the application never sees the agent's libraries and keeps its own versions; issue 9: they
 * print nothing, on any JDK (the suite runs again on JDK 25 with it.java25).
 */
class IsolationIT extends AgentTestSupport {

    @Test
    void applicationWithItsOwnLibrariesUsesThem() throws Exception {
        Path libs = Paths.get(System.getProperty("it.app.libs"));
        List<String> jars;
        try (Stream<Path> files = Files.list(libs)) {
            jars = files.map(Path::toString).sorted().collect(Collectors.toList());
        }
        assertThat(jars).hasSize(6);
        AgentJvm.Builder builder = AgentJvm.withAgent(agentArgs(newService())).main(IsolationApp.class);
        builder.classpathEntry(String.join(File.pathSeparator, jars));
        AgentJvm jvm = start(builder);
        jvm.stdout().await("DONE", WAIT);

        assertThat(line(jvm, "com.google.common.collect.ImmutableList")).contains("guava-32.1.3-jre.jar");
        assertThat(line(jvm, "io.netty.buffer.ByteBuf")).contains("netty-buffer-4.1.115.Final.jar");
        assertThat(line(jvm, "io.grpc.ManagedChannel")).contains("grpc-api-1.68.1.jar");
        assertThat(line(jvm, "com.fasterxml.jackson.core.JsonFactory")).contains("jackson-core-2.17.2.jar");
        assertThat(line(jvm, "org.slf4j.LoggerFactory")).contains("slf4j-api-1.7.36.jar");
        // What the application does not bring, it does not get from the agent either.
        assertThat(line(jvm, "io.etcd.jetcd.Client")).endsWith("MISSING");
        assertThat(line(jvm, "io.vertx.core.Vertx")).endsWith("MISSING");
    }

    @Test
    void applicationWithoutThemSeesNoneOfTheAgentsLibraries() {
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(newService())).main(IsolationApp.class));
        jvm.stdout().await("DONE", WAIT);

        List<String> libraries = jvm.stdout().lines().stream().filter(line -> line.startsWith("LIB "))
                .collect(Collectors.toList());
        assertThat(libraries).hasSize(12).allSatisfy(line -> assertThat(line).endsWith(" MISSING"));
        // The agent jar is on the class path, yet its access to jdk.internal.misc is not the class path's.
        assertThat(jvm.stdout().lines()).contains("INTERNAL UNSAFE DENIED");
    }

    @Test
    void registeredJvmFollowingChangesPrintsNothingButItsOwnAndTheAgentsLines() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(ConfigApp.class).args("listen"));
        jvm.stdout().await("READY", WAIT);
        awaitRegistration(service);
        etcdctl.put("/config" + service + "/promo.enabled", "true");
        jvm.stdout().await("VALUE enabled=true", WAIT);
        jvm.sigterm();
        jvm.waitForExit(WAIT);

        // Every library the agent bundles has run by now (gRPC, Netty, protobuf, Vert.x), and stopped.
        assertThat(jvm.stdout().lines()).allMatch(line -> line.matches("(LISTENING|INITIAL|READY|VALUE)\\b.*"));
        assertThat(jvm.stderr().lines()).allMatch(line -> line.startsWith("[etcd-agent] "));
    }

    private static String line(AgentJvm jvm, String className) {
        return jvm.stdout().lines().stream().filter(line -> line.startsWith("LIB " + className + " "))
                .findFirst().orElseThrow();
    }
}
