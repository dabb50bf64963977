package dev.etcdagent.it.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.etcdagent.it.apps.HelloWorld;
import dev.etcdagent.it.apps.HttpServerApp;
import dev.etcdagent.it.apps.NioServer;
import dev.etcdagent.it.apps.PlainServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The harness itself: child JVMs (here without the agent) running the test applications. */
class AgentJvmTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void helloWorldPrintsAndExits() {
        try (AgentJvm jvm = AgentJvm.withoutAgent().main(HelloWorld.class).start()) {
            assertThat(jvm.waitForExit(WAIT)).isZero();
            assertThat(jvm.stdout().await("^hello$", WAIT)).isEqualTo("hello");
            assertThat(jvm.command()).doesNotContain("-javaagent").contains(HelloWorld.class.getName());
            assertThat(jvm.command().get(0)).isEqualTo(AgentJvm.javaBinary());
        }
    }

    @Test
    void plainServerAnswersClosesOnRequestAndExits() throws IOException {
        try (AgentJvm jvm = AgentJvm.withoutAgent().main(PlainServer.class).args("0").start()) {
            int port = Integer.parseInt(jvm.stdout().await("^LISTENING (\\d+)$", WAIT));
            assertThat(read(port)).isEqualTo("hello");

            jvm.send("close");
            jvm.stdout().await("^CLOSED$", WAIT);
            assertThat(jvm.isAlive()).isTrue();

            jvm.send("exit");
            assertThat(jvm.waitForExit(WAIT)).isZero();
            await().atMost(WAIT).until(() -> Files.readString(jvm.stdout().file()).contains("CLOSED"));
        }
    }

    @Test
    void nioServerListensAndStopsOnSigterm() throws IOException {
        try (AgentJvm jvm = AgentJvm.withoutAgent().main(NioServer.class).start()) {
            int port = Integer.parseInt(jvm.stdout().await("^LISTENING (\\d+)$", WAIT));
            new Socket("127.0.0.1", port).close();

            jvm.sigstop();
            await().atMost(WAIT).until(() -> state(jvm.pid()) == 'T');
            jvm.sigcont();
            await().atMost(WAIT).until(() -> state(jvm.pid()) != 'T');

            jvm.sigterm();
            assertThat(jvm.waitForExit(WAIT)).isEqualTo(143);
        }
    }

    @Test
    void httpServerAnswersOk() throws IOException {
        try (AgentJvm jvm = AgentJvm.withoutAgent().main(HttpServerApp.class).env("SOME_VAR", "x").start()) {
            int port = Integer.parseInt(jvm.stdout().await("^LISTENING (\\d+)$", WAIT));
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
            assertThat(connection.getResponseCode()).isEqualTo(200);
            assertThat(new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
        }
    }

    @Test
    void closeEndsAStoppedJvm() {
        AgentJvm jvm = AgentJvm.withoutAgent().main(NioServer.class).start();
        jvm.stdout().await("^LISTENING (\\d+)$", WAIT);
        jvm.sigstop();
        jvm.close();
        assertThat(jvm.isAlive()).isFalse();
    }

    private static String read(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port);
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                     StandardCharsets.UTF_8))) {
            return in.readLine();
        }
    }

    /** The process state letter from /proc (T when stopped). */
    private static char state(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
