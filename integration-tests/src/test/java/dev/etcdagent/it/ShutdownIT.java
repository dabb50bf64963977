package dev.etcdagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.apps.GracefulServer;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 8: the JVM's exit, whatever the application's own shutdown does, leaves no key and loses no change. */
class ShutdownIT extends AgentTestSupport {

    private static final int TTL = 2;
    /** The application's own shutdown hook keeps serving this long, as Spring Boot's graceful shutdown does. */
    private static final long APP_HOOK_MILLIS = 1500;

    @Test
    void sigtermRemovesTheKeyForGoodWhileTheApplicationsHookKeepsServing() throws IOException {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(GracefulServer.class)
                .args(Long.toString(APP_HOOK_MILLIS)));
        int port = Integer.parseInt(jvm.stdout().await("LISTENING (\\d+)", WAIT));
        awaitRegistration(service);

        jvm.sigterm();
        jvm.stdout().await("HOOK STARTED", WAIT);
        awaitNoRegistration(service, Duration.ofSeconds(5));
        // The key is gone while the application still serves...
        assertThat(greeting(port)).isEqualTo("hello");
        assertThat(jvm.stdout().lines()).doesNotContain("HOOK DONE");
        // ...and stays gone for three TTLs, through the rest of the application's shutdown and after.
        keyStaysGone(service);
        assertThat(jvm.waitForExit(WAIT)).isEqualTo(143);
        assertThat(jvm.stdout().lines()).contains("HOOK DONE");
        assertThat(jvm.stderr().text()).doesNotContain("registering again");
    }

    @Test
    void mainReturningRemovesTheKeyForGood() throws IOException {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(GracefulServer.class)
                .args(Long.toString(APP_HOOK_MILLIS)));
        int port = Integer.parseInt(jvm.stdout().await("LISTENING (\\d+)", WAIT));
        awaitRegistration(service);

        send(port, "return");
        jvm.stdout().await("RETURNING \\d+", WAIT);
        awaitNoRegistration(service, Duration.ofSeconds(5));
        keyStaysGone(service);
        assertThat(jvm.waitForExit(WAIT)).isZero();
        assertThat(jvm.stderr().text()).doesNotContain("registering again");
    }

    @Test
    void aChangeAppliedJustBeforeSigtermIsInTheSnapshotTheNextStartUses() throws Exception {
        String service = newService();
        String key = "/config" + service + "/price";
        Path snapshot = Files.createTempDirectory("snapshot").resolve("exit.json");
        String snapshotArgs = ",ttl=" + TTL + ",snapshot=" + snapshot;
        etcdctl.put(key, "1.5");
        AgentJvm first = start(AgentJvm.withAgent("service=" + service + ",endpoints=" + etcd.endpoint() + snapshotArgs)
                .main(ConfigApp.class));
        first.stdout().await("READY", WAIT);
        await().atMost(WAIT).until(() -> Files.exists(snapshot) && Files.readString(snapshot).contains("\"1.5\""));

        etcdctl.put(key, "2.5");
        first.stdout().await("VALUE price=2.5", WAIT);
        // Well inside the snapshot's 200 ms write delay: only the exit hook can write it now.
        first.sigterm();
        first.waitForExit(WAIT);

        String down = "http://127.0.0.1:" + FreePorts.next();
        AgentJvm second = start(AgentJvm.withAgent("service=" + service + ",endpoints=" + down + snapshotArgs)
                .main(ConfigApp.class));
        second.stdout().await("READY", WAIT);
        assertThat(second.stdout().lines()).contains("INITIAL price=2.5");
    }

    /** Polls etcd every 100 ms for three TTLs: the registration must never come back. */
    private static void keyStaysGone(String service) {
        await("no registration under " + service + " for " + 3 * TTL + " s")
                .during(Duration.ofSeconds(3 * TTL)).atMost(Duration.ofSeconds(3 * TTL + 10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> etcdctl.getPrefix(service + "/").isEmpty());
    }

    private static String greeting(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    private static void send(int port, String line) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.getInputStream().read();
        }
    }
}
