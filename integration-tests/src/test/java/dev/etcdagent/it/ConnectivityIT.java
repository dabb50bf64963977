package dev.etcdagent.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.it.apps.BigPrefixApp;
import dev.etcdagent.it.apps.ClassLoadingApp;
import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.BulkPuts;
import dev.etcdagent.it.launch.ClientTrafficDrop;
import dev.etcdagent.it.launch.EtcdCluster;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import dev.etcdagent.it.launch.GeneratedClasses;
import dev.etcdagent.it.launch.KeyEvents;
import dev.etcdagent.it.launch.PeerPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 8: a member cut off from its peers, a prefix of any size, and one start-up deadline. */
class ConnectivityIT extends StartedResources {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration PARTITION = Duration.ofSeconds(35);
    private static final String REBUILD_LINE = "new etcd client over";

    private static String args(String endpoints, String service) {
        return "service=" + service + ",endpoints=" + endpoints + ",host=127.0.0.1,ttl=2,snapshot=off";
    }

    @Test
    void memberCutOffFromItsPeersDropsNoRegistrationAndEveryPutArrives() throws Exception {
        EtcdCluster cluster = track(EtcdCluster.startWithSeparableFirstMember(3));
        String service = "/service/partitioned";
        Etcdctl majority = Etcdctl.forEndpoints(cluster.member(1).endpoint() + "," + cluster.member(2).endpoint());
        List<AgentJvm> jvms = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // The cut-off member is the first endpoint each JVM is given.
            jvms.add(track(AgentJvm.withAgent(args(cluster.endpoints(), service)).main(ConfigApp.class)
                    .args("listen").start()));
        }
        for (AgentJvm jvm : jvms) {
            jvm.stdout().await("READY", WAIT);
            // Registered through the JSON gateway first: the partition is to meet running gRPC sessions.
            jvm.stderr().await("connected to etcd", WAIT);
        }
        await().atMost(WAIT).until(() -> majority.getPrefix(service + "/").size() == jvms.size());
        KeyEvents events = track(new KeyEvents(cluster.member(1).endpoint(), service + "/"));
        int[] marks = jvms.stream().mapToInt(jvm -> jvm.stderr().mark()).toArray();

        List<Long> rebuilds = new ArrayList<>();
        long slowestPutMillis = 0;
        int puts = 0;
        try (PeerPartition cut = track(cluster.cutOffFromPeers(0))) {
            Etcdctl cutOff = Etcdctl.forEndpoints(cluster.member(0).endpoint());
            await("member 0 without a leader").atMost(WAIT).ignoreExceptions().until(() -> cutOff.endpointLeader() == 0);
            // If member 0 led, the other two elect a leader first.
            await("the majority taking puts").atMost(WAIT).ignoreExceptions().until(() -> {
                majority.put("/config" + service + "/elected", "yes");
                return true;
            });
            long end = System.nanoTime() + PARTITION.toNanos();
            while (System.nanoTime() < end) {
                puts++;
                majority.put("/config" + service + "/price", Integer.toString(puts));
                long put = System.nanoTime();
                for (AgentJvm jvm : jvms) {
                    jvm.stdout().await("^VALUE price=" + puts + "$", WAIT);
                }
                slowestPutMillis = Math.max(slowestPutMillis, (System.nanoTime() - put) / 1_000_000);
            }
            assertThat(majority.getPrefix(service + "/")).hasSize(jvms.size());
            for (int i = 0; i < jvms.size(); i++) {
                List<String> lines = jvms.get(i).stderr().lines();
                rebuilds.add(lines.subList(marks[i], lines.size()).stream().filter(l -> l.contains(REBUILD_LINE)).count());
            }
        }
        System.out.println("minority partition of " + PARTITION.toSeconds() + " s: " + puts + " puts, slowest to reach"
                + " every JVM " + slowestPutMillis + " ms; client rebuilds per JVM " + rebuilds
                + "; registration keys deleted " + events.keys("DELETE").size());
        assertThat(events.keys("DELETE")).as("registration keys deleted during the partition").isEmpty();
        assertThat(rebuilds).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(2));

        // Healed: the cut-off member catches up (in etcd 3.4 its return forces an election), and everything carries on.
        await().atMost(WAIT).ignoreExceptions()
                .until(() -> Etcdctl.forEndpoints(cluster.member(0).endpoint()).endpointLeader() != 0);
        majority.put("/config" + service + "/price", "-1");
        for (AgentJvm jvm : jvms) {
            jvm.stdout().await("^VALUE price=-1$", WAIT);
            assertThat(jvm.isAlive()).isTrue();
        }
        assertThat(events.keys("DELETE")).isEmpty();
    }

    @Test
    void packetsDroppedForTwiceTheTtlThenHealedBringTheRegistrationBackAtOnce() {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        String service = "/service/dropped";
        AgentJvm jvm = track(AgentJvm.withAgent(args(etcd.endpoint(), service)).main(ConfigApp.class)
                .args("listen").start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        String key = service + "/127.0.0.1:" + port;
        await().atMost(WAIT).until(() -> etcdctl.get(key) != null);

        long healed;
        try (ClientTrafficDrop drop = track(ClientTrafficDrop.to(etcd.clientPort()))) {
            long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> System.nanoTime() > end);
            drop.close();
            healed = System.nanoTime();
        }
        // The lease expired meanwhile (ttl=2): the key comes back once the agent sees etcd again.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> etcdctl.get(key) != null);
        long backMillis = (System.nanoTime() - healed) / 1_000_000;
        System.out.println("packets to etcd dropped for 4 s (ttl 2 s): registration back " + backMillis
                + " ms after the network healed");
        etcdctl.put("/config" + service + "/price", "4.5");
        jvm.stdout().await("^VALUE price=4.5$", WAIT);
        assertThat(jvm.isAlive()).isTrue();
    }

    @Test
    void sixMebibytePrefixIsReadAtStartAndAgainAfterEtcdRestarts() {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        String service = "/service/bulky";
        String prefix = "/config" + service + "/";
        // 15,000 keys of 400 bytes: 6 MiB, over gRPC's 4 MiB message limit.
        BulkPuts.fill(etcd.endpoint(), prefix, 15_000, 400, "first");
        // One value near etcd's 1.5 MiB request limit.
        int bigLength = 1_400_000;
        etcdctl.putBytes(prefix + "big", "b".repeat(bigLength).getBytes(StandardCharsets.UTF_8));

        AgentJvm jvm = track(AgentJvm.withAgent(args(etcd.endpoint(), service)).main(BigPrefixApp.class).start());
        // Within the start-up deadline when the machine is quick enough (INITIAL), else soon after (VALUE).
        jvm.stdout().await("^(INITIAL|VALUE) last=first$", WAIT);
        jvm.stdout().await("^(INITIAL|VALUE) big.length=" + bigLength + "$", WAIT);
        jvm.stderr().await("connected to etcd", WAIT);
        // Followed: the watch starts after the session's own (paged) read.
        etcdctl.put(prefix + "bulk.last", "followed");
        jvm.stdout().await("^VALUE last=followed$", WAIT);

        // Restarted: the watch ends, and the range is read again (in pages) before it is watched anew.
        etcd.restart();
        etcdctl.put(prefix + "bulk.last", "after-restart");
        jvm.stdout().await("^VALUE last=after-restart$", WAIT);
        assertThat(jvm.stderr().text()).doesNotContain("RESOURCE_EXHAUSTED");
    }

    @Test
    void twoHundredClassesWithAbsoluteKeysLoadWhileEtcdIsFrozen() throws Exception {
        int count = 200;
        Path classes = GeneratedClasses.compile(count, "/it/classes/key");
        track(() -> GeneratedClasses.delete(classes));
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        etcdctl.put("/it/classes/key0", "from-etcd");
        AgentJvm jvm = track(AgentJvm.withAgent(args(etcd.endpoint(), "/service/classes")).main(ClassLoadingApp.class)
                .args(classes.toString(), Integer.toString(count)).start());
        jvm.stdout().await("WAITING", WAIT);
        jvm.stderr().await("connected to etcd", WAIT);

        etcd.freeze();
        jvm.send("load");
        String millis = jvm.stdout().await("LOADED " + count + " IN (\\d+) ms", WAIT);
        System.out.println(count + " classes with absolute keys loaded in " + millis + " ms while etcd was frozen");
        jvm.stdout().await("READY", WAIT);
        assertThat(jvm.stdout().lines()).contains("INITIAL second=declared");

        // Once etcd answers, every range catches up: the values read then, and the changes after.
        etcd.thaw();
        jvm.stdout().await("^VALUE first=from-etcd$", WAIT);
        etcdctl.put("/it/classes/key1", "late");
        jvm.stdout().await("^VALUE second=late$", WAIT);
    }
}
