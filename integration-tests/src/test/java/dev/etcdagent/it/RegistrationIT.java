package dev.etcdagent.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.etcdagent.it.apps.HelloWorld;
import dev.etcdagent.it.apps.IdleApp;
import dev.etcdagent.it.apps.NioServer;
import dev.etcdagent.it.apps.PlainServer;
import dev.etcdagent.it.demo.ServiceB;
import dev.etcdagent.it.launch.AgentJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 2: a JVM with no annotation at all registers its listening address under a lease. */
class RegistrationIT extends AgentTestSupport {

    @Test
    void plainServerSocketIsRegisteredWithNamingJson() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(PlainServer.class));
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);

        Map.Entry<String, String> registration = awaitRegistration(service);
        assertThat(registration.getKey()).isEqualTo(service + "/127.0.0.1:" + port);
        // Byte for byte what etcd's endpoints manager writes for an endpoint without metadata.
        assertThat(registration.getValue()).isEqualTo("{\"Op\":0,\"Addr\":\"127.0.0.1:" + port + "\",\"Metadata\":null}");
        assertThat(etcdctl.leaseOf(registration.getKey())).isNotZero();
        assertThat(jvm.stdout().lines()).containsExactly("LISTENING " + port);
    }

    @Test
    void registeredThroughTheGatewayThenTheSessionTakesOverTheSameLeaseUnseen() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(PlainServer.class));
        String key = awaitRegistration(service).getKey();
        long lease = etcdctl.leaseOf(key);
        long put = etcdctl.modRevisionOf(key);

        // Registered before the gRPC session was built (it waits for the application to be quiet).
        String connected = jvm.stderr().await("connected to etcd .*", WAIT);
        List<String> log = jvm.stderr().lines();
        assertThat(log.indexOf(log.stream().filter(line -> line.contains("registered " + key)).findFirst().orElseThrow()))
                .isLessThan(log.indexOf(log.stream().filter(line -> line.contains(connected)).findFirst().orElseThrow()));
        // Several keep-alive periods (ttl=2) after the take-over: the same lease, the same put.
        await().during(Duration.ofSeconds(3)).atMost(WAIT)
                .until(() -> etcdctl.leaseOf(key) == lease && etcdctl.modRevisionOf(key) == put);
        // The own-key watch runs through the session now: an operator's delete is undone.
        etcdctl.del(key);
        await().atMost(WAIT).until(() -> etcdctl.leaseOf(key) == lease);
    }

    @Test
    void sigtermRevokesTheLeaseAtOnce() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service, "ttl=30")).main(PlainServer.class));
        awaitRegistration(service);

        jvm.sigterm();
        assertThat(jvm.waitForExit(WAIT)).isEqualTo(143);
        // With a 30 s TTL only the revoke at exit can remove the key this soon.
        awaitNoRegistration(service, Duration.ofSeconds(5));
    }

    @Test
    void killNineLeavesExpiryToEtcdWithinTheTtl() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(PlainServer.class));
        awaitRegistration(service);

        jvm.kill9();
        jvm.waitForExit(WAIT);
        awaitNoRegistration(service, Duration.ofSeconds(10));
    }

    @Test
    void revokedLeaseIsGrantedAgainAndTheKeyPutBack() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service, "ttl=30")).main(PlainServer.class));
        Map.Entry<String, String> registration = awaitRegistration(service);
        long lease = etcdctl.leaseOf(registration.getKey());

        etcdctl.leaseRevoke(lease);

        await().atMost(WAIT).until(() -> {
            long now = etcdctl.leaseOf(registration.getKey());
            return now != 0 && now != lease;
        });
        assertThat(etcdctl.get(registration.getKey())).isEqualTo(registration.getValue());
        assertThat(jvm.isAlive()).isTrue();
    }

    @Test
    void deletedKeyIsPutBackWhileTheJvmLives() {
        String service = newService();
        start(AgentJvm.withAgent(agentArgs(service, "ttl=30")).main(PlainServer.class));
        Map.Entry<String, String> registration = awaitRegistration(service);

        etcdctl.del(registration.getKey());

        await().atMost(WAIT).until(() -> registration.getValue().equals(etcdctl.get(registration.getKey())));
    }

    @Test
    void closingTheServerSocketWithdrawsTheKey() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service, "ttl=30")).main(PlainServer.class));
        awaitRegistration(service);

        jvm.send("close");
        jvm.stdout().await("CLOSED", WAIT);

        awaitNoRegistration(service, Duration.ofSeconds(5));
        assertThat(jvm.isAlive()).isTrue();
    }

    @Test
    void nioServerSocketChannelIsRegistered() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(NioServer.class));
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);

        assertThat(awaitRegistration(service).getKey()).isEqualTo(service + "/127.0.0.1:" + port);
    }

    @Test
    void jdkHttpServerIsRegistered() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(ServiceB.class));
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);

        assertThat(awaitRegistration(service).getKey()).isEqualTo(service + "/127.0.0.1:" + port);
    }

    @Test
    void addressAndInstanceArgumentsNameTheRegistration() {
        String service = newService();
        start(AgentJvm.withAgent(agentArgs(service, "address=10.9.8.7:8443", "instance=blue-1"))
                .main(IdleApp.class));

        Map.Entry<String, String> registration = awaitRegistration(service);
        assertThat(registration.getKey()).isEqualTo(service + "/blue-1");
        assertThat(json(registration.getValue()).path("Addr").asText()).isEqualTo("10.9.8.7:8443");
    }

    @Test
    void etcdRestartedAfterTheLeaseExpiredGetsTheKeyBack() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(PlainServer.class));
        Map.Entry<String, String> registration = awaitRegistration(service);

        etcd.stop();
        jvm.stderr().await("lost connection to etcd", WAIT);
        etcd.startAgain();
        etcd.awaitHealthy();

        // etcd restores leases with a fresh TTL; either the old lease lives on or a new one is granted.
        await().atMost(WAIT).until(() -> registration.getValue().equals(etcdctl.get(registration.getKey())));
        jvm.stderr().await("reconnected to etcd", WAIT);
    }

    @Test
    void badArgumentsAreExplainedAndTheApplicationRuns() {
        AgentJvm jvm = start(AgentJvm.withAgent("service=/service/bad,ttl=0,colour=blue,endpoints=ftp://x,log=loud")
                .main(PlainServer.class));

        jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stderr().await("argument ttl='0' must be a lease TTL in seconds from 1 to 86400; using 10", WAIT);
        jvm.stderr().await("unknown argument 'colour' ignored; accepted: service, endpoints", WAIT);
        jvm.stderr().await("argument endpoints='ftp://x' must be URLs with scheme, host and port", WAIT);
        jvm.stderr().await("argument log='loud' must be one of off, error, warn, info, debug", WAIT);
    }

    @Test
    void helloWorldPrintsOnlyItsOwnOutputAndExitsAtOnce() {
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(newService())).main(HelloWorld.class));

        assertThat(jvm.waitForExit(Duration.ofSeconds(20))).isZero();
        await().atMost(WAIT).until(() -> jvm.stdout().lines().size() >= 1);
        assertThat(jvm.stdout().lines()).containsExactly("hello");
    }

    @Test
    void agentWithUnreachableEtcdNeverStopsTheApplication() {
        AgentJvm jvm = start(AgentJvm.withAgent("service=/service/x,endpoints=http://127.0.0.1:1,ttl=2")
                .main(HelloWorld.class));

        assertThat(jvm.waitForExit(Duration.ofSeconds(20))).isZero();
        assertThat(jvm.stdout().text()).isEqualTo("hello");
    }
}
