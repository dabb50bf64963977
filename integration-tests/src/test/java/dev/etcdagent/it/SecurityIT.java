package dev.etcdagent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.sun.tools.attach.VirtualMachine;
import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 5: TLS, client certificates, etcd authentication with a least-privilege role, secrets. */
class SecurityIT extends StartedResources {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "Pa55-w0rd-never-logged";
    /** Split at its comma, it used to show as "unknown argument 'cret-Pa55'". */
    private static final String COMMA_PASSWORD = "se,cret-Pa55";

    @TempDir
    Path dir;

    private EtcdServer tlsEtcd(Certificates certs) throws Exception {
        certs.ca("ca");
        // etcd's own gateway dials etcd with the server certificate: it must serve as a client one too.
        certs.signed("server", "ca", "serverAuth,clientAuth");
        certs.signed("client", "ca", "clientAuth");
        return track(EtcdServer.start("https", List.of(
                "--cert-file", certs.dir.resolve("server.pem").toString(),
                "--key-file", certs.key("server").toString(),
                "--trusted-ca-file", certs.dir.resolve("ca.pem").toString(),
                "--client-cert-auth"), List.of(
                "--cacert", certs.dir.resolve("ca.pem").toString(),
                "--cert", certs.dir.resolve("client.pem").toString(),
                "--key", certs.key("client").toString())));
    }

    @Test
    void tlsWithClientCertificateRegistersAndFollowsValues() throws Exception {
        Certificates certs = new Certificates(dir);
        EtcdServer etcd = tlsEtcd(certs);
        Etcdctl etcdctl = etcd.etcdctl();
        etcdctl.put("/config/service/tls/price", "8");

        AgentJvm jvm = track(AgentJvm.withAgent("service=/service/tls,endpoints=" + etcd.endpoint()
                + ",host=127.0.0.1,ttl=2,snapshot=off,cacert=" + dir.resolve("ca.pem") + ",cert="
                + dir.resolve("client.pem") + ",key=" + certs.key("client")).main(ConfigApp.class).args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        // Within the 2 s start-up deadline when the TLS handshake is quick enough (INITIAL), else soon after (VALUE).
        jvm.stdout().await("^(INITIAL|VALUE) price=8$", WAIT);
        await().atMost(WAIT).until(() -> etcdctl.get("/service/tls/127.0.0.1:" + port) != null);

        etcdctl.put("/config/service/tls/price", "9");
        jvm.stdout().await("VALUE price=9", WAIT);

        // The operator's tool over the same TLS (gRPC: the gateway is for plain http), confirmed by the JVM.
        AgentTool operator = AgentTool.forEndpoints(etcd.endpoint()).with("--cacert", dir.resolve("ca.pem").toString(),
                "--cert", dir.resolve("client.pem").toString(), "--key", certs.key("client").toString());
        AgentTool.Result put = operator.run("put", "/service/tls", "price", "10", "--wait", "20s");
        assertThat(put.exitStatus).as(put.toString()).isZero();
        assertThat(put.stdout).contains("applied by all 1 instance");
        jvm.stdout().await("VALUE price=10", WAIT);
        AgentTool.Result status = operator.run("status", "/service/tls");
        assertThat(status.exitStatus).as(status.toString()).isZero();
        assertThat(status.stdout).contains("127.0.0.1:" + port);
        AgentTool.Result noCa = AgentTool.forEndpoints(etcd.endpoint()).run("status", "/service/tls");
        assertThat(noCa.exitStatus).as(noCa.toString()).isEqualTo(3);
        assertThat(noCa.stderr.strip()).as(noCa.toString()).startsWith("etcd-agent: cannot read /etcd-agent/status/service/tls/: etcd " + etcd.endpoint() + ": the TLS handshake failed (")
                .doesNotContain("\n", "Exception", "\tat ");
    }

    @Test
    void serverWhoseCertificateTheCaDidNotSignIsRefused() throws Exception {
        Certificates certs = new Certificates(dir);
        EtcdServer etcd = tlsEtcd(certs);
        certs.ca("rogue-ca");

        AgentJvm jvm = track(AgentJvm.withAgent("service=/service/tls2,endpoints=" + etcd.endpoint()
                + ",host=127.0.0.1,ttl=2,snapshot=off,cacert=" + dir.resolve("rogue-ca.pem") + ",cert="
                + dir.resolve("client.pem") + ",key=" + certs.key("client")).main(ConfigApp.class).args("listen").start());
        jvm.stdout().await("READY", WAIT);
        jvm.stderr().await("etcd " + etcd.endpoint() + " does not answer: TLS handshake failed \\(", WAIT);

        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        await().atMost(WAIT).until(() -> System.nanoTime() > until);
        assertThat(etcd.etcdctl().getPrefix("/service/tls2/")).isEmpty();
        assertThat(jvm.stderr().text()).doesNotContain("connected to etcd");
        assertThat(jvm.isAlive()).isTrue();
    }

    private EtcdServer etcdWithAuth() {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl anonymous = etcd.etcdctl();
        anonymous.run("user", "add", "root:rootpw");
        anonymous.run("role", "add", "svc-auth");
        anonymous.run("role", "grant-permission", "svc-auth", "--prefix=true", "read", "/config/service/auth/");
        anonymous.run("role", "grant-permission", "svc-auth", "--prefix=true", "readwrite", "/service/auth/");
        anonymous.run("role", "grant-permission", "svc-auth", "--prefix=true", "readwrite",
                "/etcd-agent/status/service/auth/");
        anonymous.run("user", "add", "agent-auth:" + PASSWORD);
        anonymous.run("user", "grant-role", "agent-auth", "svc-auth");
        anonymous.run("user", "add", "agent-comma:" + COMMA_PASSWORD);
        anonymous.run("user", "grant-role", "agent-comma", "svc-auth");
        anonymous.run("role", "add", "svc-noconfig");
        anonymous.run("role", "grant-permission", "svc-noconfig", "--prefix=true", "readwrite", "/service/auth/");
        anonymous.run("role", "grant-permission", "svc-noconfig", "--prefix=true", "readwrite",
                "/etcd-agent/status/service/auth/");
        anonymous.run("user", "add", "agent-noconfig:" + PASSWORD);
        anonymous.run("user", "grant-role", "agent-noconfig", "svc-noconfig");
        anonymous.run("auth", "enable");
        return etcd;
    }

    @Test
    void leastPrivilegeUserWithPasswordFromTheEnvironmentWorks() {
        EtcdServer etcd = etcdWithAuth();
        Etcdctl root = etcd.etcdctl().with("--user", "root:rootpw");
        root.put("/config/service/auth/price", "4");

        AgentJvm jvm = track(AgentJvm.withAgent("service=/service/auth,endpoints=" + etcd.endpoint()
                + ",host=127.0.0.1,ttl=2,user=agent-auth,log=debug").env("ETCD_AGENT_PASSWORD", PASSWORD)
                .main(ConfigApp.class).args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stdout().await("READY", WAIT);
        jvm.stdout().await("(INITIAL|VALUE) price=4", WAIT);
        await().atMost(WAIT).until(() -> root.get("/service/auth/127.0.0.1:" + port) != null);

        root.put("/config/service/auth/price", "5");
        jvm.stdout().await("VALUE price=5", WAIT);

        // The password reaches no log line, at debug level with every library's log routed in.
        assertThat(jvm.stderr().text()).doesNotContain(PASSWORD).contains("password=(set)");
        assertThat(jvm.stdout().text()).doesNotContain(PASSWORD);
    }

    @Test
    void passwordFileKeepsThePasswordOutOfTheCommandLine() throws Exception {
        EtcdServer etcd = etcdWithAuth();
        Path file = dir.resolve("password");
        Files.writeString(file, PASSWORD + "\n");
        AgentJvm jvm = track(AgentJvm.withAgent("service=/service/auth,endpoints=" + etcd.endpoint()
                + ",host=127.0.0.1,ttl=2,user=agent-auth,password-file=" + file).main(ConfigApp.class).args("listen")
                .start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        Etcdctl root = etcd.etcdctl().with("--user", "root:rootpw");
        await().atMost(WAIT).until(() -> root.get("/service/auth/127.0.0.1:" + port) != null);
    }

    @Test
    void aCommaInThePasswordArgumentIsPartOfItAndNoFragmentIsLoggedOrInJmx() throws Exception {
        EtcdServer etcd = etcdWithAuth();
        AgentJvm jvm = track(AgentJvm.withAgent("service=/service/auth,user=agent-comma,password=" + COMMA_PASSWORD
                + ",endpoints=" + etcd.endpoint() + ",host=127.0.0.1,ttl=2,snapshot=off").main(ConfigApp.class)
                .args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        Etcdctl root = etcd.etcdctl().with("--user", "root:rootpw");
        await().atMost(WAIT).until(() -> root.get("/service/auth/127.0.0.1:" + port) != null);

        assertThat(jvm.stderr().text()).doesNotContain("cret").doesNotContain("unknown argument");
        String lastError = lastErrorOverJmx(jvm);
        assertThat(lastError == null ? "" : lastError).doesNotContain("cret");
    }

    /** The MXBean's {@code LastError}, read through the attach API: JMX shows the latest WARN or ERROR line. */
    @SuppressWarnings("BanJNDI") // reads our own MXBean in a child JVM this test started: no untrusted input
    private static String lastErrorOverJmx(AgentJvm jvm) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(jvm.pid()));
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            return (String) server.getAttribute(new ObjectName("dev.etcdagent:type=Agent"), "LastError");
        } finally {
            vm.detach();
        }
    }

    @Test
    void wrongPasswordIsOneClearLineAndTheApplicationRuns() {
        EtcdServer etcd = etcdWithAuth();
        AgentJvm jvm = track(AgentJvm.withAgent("service=/service/auth,endpoints=" + etcd.endpoint()
                + ",host=127.0.0.1,ttl=2,user=agent-auth,snapshot=off").env("ETCD_AGENT_PASSWORD", "wrong-" + PASSWORD)
                .main(ConfigApp.class).args("listen").start());
        jvm.stdout().await("READY", WAIT);
        jvm.stderr().await("etcd refused user 'agent-auth': .*; check the user and its password", WAIT);

        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        await().atMost(WAIT).until(() -> System.nanoTime() > until);
        assertThat(jvm.stderr().count(line -> line.contains("etcd refused user"))).isEqualTo(1);
        assertThat(jvm.stderr().text()).doesNotContain(PASSWORD);
        assertThat(jvm.isAlive()).isTrue();
    }

    @Test
    void aKeyThatMayNotBeReadNeitherStopsTheSnapshotNorLosesWhatItHad() throws Exception {
        EtcdServer etcd = etcdWithAuth();
        Etcdctl root = etcd.etcdctl().with("--user", "root:rootpw");
        root.put("/config/service/auth/price", "4");
        // ConfigApp's /global/discount is not granted to agent-auth: its range is never read.
        Path snapshot = dir.resolve("auth.json");
        Files.writeString(snapshot, "{\"format\":1,\"service\":\"/service/auth\",\"revision\":1,"
                + "\"values\":{\"/global/discount\":\"15\",\"/config/service/auth/price\":\"1\"}}");
        AgentJvm jvm = track(AgentJvm.withAgent("service=/service/auth,endpoints=" + etcd.endpoint()
                + ",host=127.0.0.1,ttl=2,user=agent-auth,snapshot=" + snapshot).env("ETCD_AGENT_PASSWORD", PASSWORD)
                .main(ConfigApp.class).args("listen").start());
        jvm.stderr().await("etcd refuses to let user 'agent-auth' read /global/discount", WAIT);

        root.put("/config/service/auth/price", "5");
        jvm.stdout().await("VALUE price=5", WAIT);
        await().atMost(WAIT).until(() -> Files.readString(snapshot),
                text -> text.contains("\"/config/service/auth/price\" : \"5\"")
                        && text.contains("\"/global/discount\" : \"15\""));
    }

    @Test
    void missingReadPermissionIsExplainedWithTheCommandThatGrantsIt() {
        EtcdServer etcd = etcdWithAuth();
        AgentJvm jvm = track(AgentJvm.withAgent("service=/service/auth,endpoints=" + etcd.endpoint()
                + ",host=127.0.0.1,ttl=2,user=agent-noconfig,snapshot=off").env("ETCD_AGENT_PASSWORD", PASSWORD)
                .main(ConfigApp.class).args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stderr().await("etcd refuses to let user 'agent-noconfig' read /config/service/auth/: grant it, e.g."
                + " etcdctl role grant-permission <role> --prefix=true read /config/service/auth/", WAIT);
        // Registration needs only its own prefix, and works.
        Etcdctl root = etcd.etcdctl().with("--user", "root:rootpw");
        await().atMost(WAIT).until(() -> root.get("/service/auth/127.0.0.1:" + port) != null);
    }
}
