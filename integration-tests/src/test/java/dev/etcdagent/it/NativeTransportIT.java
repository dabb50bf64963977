package dev.etcdagent.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.etcdagent.it.apps.EpollServer;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9: servers that bind in native code (Netty's epoll transport) are registered too. */
class NativeTransportIT extends AgentTestSupport {

    @Test
    void epollServerIsRegisteredAndWithdrawnWhenItCloses() {
        String service = newService();
        AgentJvm jvm = start(epollServer(agentArgs(service), "0"));
        String port = jvm.stdout().await("LISTENING (\\d+) EpollServerSocketChannel", WAIT);

        Map.Entry<String, String> registration = awaitRegistration(service);
        assertThat(registration.getKey()).isEqualTo(service + "/127.0.0.1:" + port);
        assertThat(json(registration.getValue()).get("Addr").asText()).isEqualTo("127.0.0.1:" + port);

        jvm.send("close");
        jvm.stdout().await("CLOSED", WAIT);
        awaitNoRegistration(service, WAIT);
        assertThat(jvm.stderr().text()).contains("closed: withdrawing it");
    }

    @Test
    void portArgumentRegistersTheNativeListenerOnThatPort() {
        String service = newService();
        int wanted = FreePorts.next();
        AgentJvm jvm = start(epollServer(agentArgs(service, "port=" + wanted), "0", String.valueOf(wanted)));
        jvm.stdout().await("LISTENING " + wanted + " EpollServerSocketChannel", WAIT);

        Map.Entry<String, String> registration = awaitRegistration(service);
        assertThat(json(registration.getValue()).get("Addr").asText()).isEqualTo("127.0.0.1:" + wanted);
    }

    private static AgentJvm.Builder epollServer(String agentArgs, String... ports) {
        return AgentJvm.withAgent(agentArgs).classpathEntry(nettyJars()).main(EpollServer.class).args(ports);
    }

    /** Netty with its native epoll library: the application's own jars, copied by the build. */
    private static String nettyJars() {
        try (Stream<Path> jars = Files.list(Paths.get(System.getProperty("it.netty.libs")))) {
            return jars.map(Object::toString).sorted().collect(Collectors.joining(File.pathSeparator));
        } catch (IOException e) {
            throw new IllegalStateException("the build copies Netty to it.netty.libs; run through Maven", e);
        }
    }
}
