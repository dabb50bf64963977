package dev.etcdagent.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.apps.PlainServer;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.EtcdCluster;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 5: what etcd clusters actually do, each fault on its own real etcd. */
class FaultsIT extends StartedResources {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String args(String endpoints, String service) {
        return "service=" + service + ",endpoints=" + endpoints + ",host=127.0.0.1,ttl=2,snapshot=off";
    }

    private static long threads(AgentJvm jvm) throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/" + jvm.pid() + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring(8).trim());
            }
        }
        throw new IllegalStateException("no thread count");
    }

    @Test
    void etcdUnreachableAtStartThenAnswering() {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        etcdctl.put("/config/service/late/price", "7");
        etcd.stop();

        AgentJvm jvm = track(AgentJvm.withAgent(args(etcd.endpoint(), "/service/late")).main(ConfigApp.class)
                .args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stdout().await("READY", WAIT);
        assertThat(jvm.stdout().lines()).contains("INITIAL price=9.99");

        etcd.startAgain();
        etcd.awaitHealthy();
        jvm.stdout().await("VALUE price=7", WAIT);
        await().atMost(WAIT).until(() -> etcdctl.get("/service/late/127.0.0.1:" + port) != null);
    }

    @Test
    void changesMadeWhileTheAgentWasCutOffAreAllApplied() {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        etcdctl.put("/config/service/cut/level", "HIGH");
        AgentJvm jvm = track(AgentJvm.withAgent(args(etcd.endpoint(), "/service/cut")).main(ConfigApp.class)
                .args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stdout().await("READY", WAIT);
        await().atMost(WAIT).until(() -> etcdctl.get("/service/cut/127.0.0.1:" + port) != null);

        etcd.stop();
        jvm.stderr().await("lost connection to etcd", WAIT);
        etcd.startAgain();
        etcd.awaitHealthy();
        // Changed before the agent is back: the new read must bring all of them, the delete included.
        etcdctl.put("/config/service/cut/price", "1.25");
        etcdctl.del("/config/service/cut/level");
        etcdctl.put("/config/service/cut/names", "p,q");

        jvm.stdout().await("VALUE price=1.25", WAIT);
        jvm.stdout().await("VALUE level=LOW", WAIT);
        jvm.stdout().await("VALUE names=\\[p, q\\]", WAIT);
        await().atMost(WAIT).until(() -> etcdctl.get("/service/cut/127.0.0.1:" + port) != null);
        jvm.stderr().await("reconnected to etcd", WAIT);
    }

    @Test
    void oneMemberOfThreeKilledMissesNothingAndTheKeyNeverGoes() throws Exception {
        EtcdCluster cluster = track(EtcdCluster.start(3));
        Etcdctl etcdctl = Etcdctl.forEndpoints(cluster.endpointsForEtcdctl());
        String service = "/service/clustered";
        AgentJvm jvm = track(AgentJvm.withAgent(args(cluster.endpoints(), service)).main(ConfigApp.class)
                .args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stdout().await("READY", WAIT);
        String key = service + "/127.0.0.1:" + port;
        await().atMost(WAIT).until(() -> etcdctl.get(key) != null);

        // Every event on the registration key from here on, as etcd itself reports it.
        ProcessBuilder watchBuilder = new ProcessBuilder("/usr/bin/etcdctl",
                "--endpoints=" + cluster.member(2).endpoint(), "watch", key);
        watchBuilder.environment().put("ETCDCTL_API", "3");
        Process watch = watchBuilder.redirectErrorStream(true).start();
        track(watch::destroyForcibly);
        List<String> watched = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    watched.add(line);
                }
            } catch (Exception ignored) {
                // watch ended
            }
        });
        reader.setDaemon(true);
        reader.start();

        cluster.member(0).kill();
        Etcdctl survivors = Etcdctl.forEndpoints(cluster.member(1).endpoint() + "," + cluster.member(2).endpoint());
        // The survivors may need an election first.
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            survivors.put("/config" + service + "/price", "0");
            return true;
        });
        for (int i = 1; i <= 20; i++) {
            survivors.put("/config" + service + "/price", Integer.toString(i));
        }
        survivors.put("/config" + service + "/level", "MEDIUM");
        jvm.stdout().await("VALUE price=20", WAIT);
        jvm.stdout().await("VALUE level=MEDIUM", WAIT);

        // Several TTLs later the key is still there and was never deleted.
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> System.nanoTime() > until
                && survivors.get(key) != null);
        assertThat(watched).doesNotContain("DELETE");
        assertThat(jvm.isAlive()).isTrue();
    }

    @Test
    void etcdWipedAndReplacedByAnEmptyClusterIsTheNewTruth() {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        String oldCluster = etcdctl.clusterId();
        etcdctl.put("/config/service/wiped/price", "5");
        etcdctl.put("/config/service/wiped/level", "HIGH");
        AgentJvm jvm = track(AgentJvm.withAgent(args(etcd.endpoint(), "/service/wiped")).main(ConfigApp.class)
                .args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stdout().await("READY", WAIT);
        assertThat(jvm.stdout().lines()).contains("INITIAL price=5", "INITIAL level=HIGH");
        String key = "/service/wiped/127.0.0.1:" + port;
        await().atMost(WAIT).until(() -> etcdctl.get(key) != null);

        etcd.wipe();
        assertThat(etcdctl.clusterId()).isNotEqualTo(oldCluster);

        jvm.stdout().await("VALUE price=9.99", WAIT);
        jvm.stdout().await("VALUE level=LOW", WAIT);
        await().atMost(WAIT).until(() -> etcdctl.get(key) != null);
        jvm.stderr().await("it is a new cluster", WAIT);
        // The new cluster's revisions start again from 1: its changes must still apply.
        etcdctl.put("/config/service/wiped/price", "6");
        jvm.stdout().await("VALUE price=6", WAIT);
    }

    @Test
    void etcdThatLostItsDataButKeptItsClusterIdIsTheNewTruthAndPutWaitConfirmsOnlyWhatWasApplied() {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        String service = "/service/amnesiac";
        String cluster = etcdctl.clusterId();
        for (int i = 0; i < 30; i++) {
            etcdctl.put("/config" + service + "/level", "L" + i);
        }
        etcdctl.put("/config" + service + "/price", "5");
        AgentJvm jvm = track(AgentJvm.withAgent(args(etcd.endpoint(), service)).main(ConfigApp.class)
                .args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stdout().await("READY", WAIT);
        String key = service + "/127.0.0.1:" + port;
        await().atMost(WAIT).until(() -> etcdctl.get(key) != null);
        long before = etcdctl.revision();

        etcd.wipeKeepingClusterId();
        assertThat(etcdctl.clusterId()).isEqualTo(cluster);
        assertThat(etcdctl.revision()).isLessThan(before);

        // The keyspace as now read is the truth: the price key is gone, so the declared value is back.
        jvm.stdout().await("VALUE price=9.99", WAIT);
        jvm.stderr().await("with the same cluster id: it lost its data", WAIT);
        await().atMost(WAIT).until(() -> etcdctl.get(key) != null);
        // A put --wait confirms only once the JVM applied it, whatever revisions its record had before.
        AgentTool.Result put = AgentTool.forEndpoints(etcd.endpoint()).run("put", service, "price", "6", "--wait", "20s");
        assertThat(put.exitStatus).as(put.toString()).isZero();
        assertThat(jvm.stdout().lines()).contains("VALUE price=6");
        etcdctl.put("/config" + service + "/price", "7");
        jvm.stdout().await("VALUE price=7", WAIT);
    }

    @Test
    void etcdFrozenLongerThanTheTtlThenResumed() throws Exception {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        AgentJvm jvm = track(AgentJvm.withAgent(args(etcd.endpoint(), "/service/slow")).main(ConfigApp.class)
                .args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stdout().await("READY", WAIT);
        String key = "/service/slow/127.0.0.1:" + port;
        await().atMost(WAIT).until(() -> etcdctl.get(key) != null);
        // Registered through the JSON gateway first: the baseline is the JVM with its gRPC client.
        jvm.stderr().await("connected to etcd", WAIT);
        long threadsBefore = threads(jvm);

        etcd.freeze();
        jvm.stderr().await("lost connection to etcd", WAIT);
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> System.nanoTime() > until);
        etcd.thaw();

        etcdctl.put("/config/service/slow/price", "3.5");
        jvm.stdout().await("VALUE price=3.5", WAIT);
        await().atMost(WAIT).until(() -> etcdctl.get(key) != null);
        assertThat(jvm.isAlive()).isTrue();
        // Replaced clients leave no threads behind.
        await().atMost(WAIT).until(() -> threads(jvm) <= threadsBefore);
    }

    @Test
    void revokedLeaseIsBackWithinASecondOrSo() {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        AgentJvm jvm = track(AgentJvm.withAgent(args(etcd.endpoint(), "/service/revoked").replace("ttl=2", "ttl=60"))
                .main(PlainServer.class).start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        String key = "/service/revoked/127.0.0.1:" + port;
        await().atMost(WAIT).until(() -> etcdctl.leaseOf(key) != 0);
        long lease = etcdctl.leaseOf(key);

        etcdctl.leaseRevoke(lease);

        // With a 60 s TTL only the agent's own-key watch can bring it back this soon.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> etcdctl.leaseOf(key) != 0 && etcdctl.leaseOf(key) != lease);
        Map<String, String> all = etcdctl.getPrefix("/service/revoked/");
        assertThat(all).containsOnlyKeys(key);
    }
}
