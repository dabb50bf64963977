package dev.etcdagent.it.launch;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The harness itself: a real etcd that the scenarios can restart, wipe, freeze, compact and cluster. */
class EtcdServerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void putGetPrefixAndDelete() {
        try (EtcdServer etcd = EtcdServer.start()) {
            Etcdctl etcdctl = etcd.etcdctl();
            assertThat(etcd.endpoint()).isEqualTo("http://127.0.0.1:" + etcd.clientPort());

            etcdctl.put("/t/b", "2");
            etcdctl.put("/t/a", "one value, with spaces");
            etcdctl.put("/u", "-starts-with-a-dash");

            assertThat(etcdctl.get("/t/a")).isEqualTo("one value, with spaces");
            assertThat(etcdctl.get("/u")).isEqualTo("-starts-with-a-dash");
            assertThat(etcdctl.get("/missing")).isNull();
            assertThat(etcdctl.getPrefix("/t/")).containsExactly(Map.entry("/t/a", "one value, with spaces"),
                    Map.entry("/t/b", "2"));

            long before = etcdctl.revision();
            etcdctl.del("/t/a");
            assertThat(etcdctl.revision()).isEqualTo(before + 1);
            etcdctl.delPrefix("/t/");
            assertThat(etcdctl.getPrefix("/t/")).isEmpty();
        }
    }

    @Test
    void leases() {
        try (EtcdServer etcd = EtcdServer.start()) {
            Etcdctl etcdctl = etcd.etcdctl();
            long lease = etcdctl.leaseGrant(60);
            etcdctl.put("/leased", "v", lease);

            assertThat(etcdctl.leaseOf("/leased")).isEqualTo(lease);
            assertThat(etcdctl.leaseList()).contains(lease);

            etcdctl.leaseRevoke(lease);
            assertThat(etcdctl.get("/leased")).isNull();
            assertThat(etcdctl.leaseList()).doesNotContain(lease);
        }
    }

    @Test
    void restartKeepsDataAndAddress() {
        try (EtcdServer etcd = EtcdServer.start()) {
            etcd.etcdctl().put("/kept", "yes");
            String endpoint = etcd.endpoint();
            long pid = etcd.pid();

            etcd.restart();

            assertThat(etcd.endpoint()).isEqualTo(endpoint);
            assertThat(etcd.pid()).isNotEqualTo(pid);
            assertThat(etcd.etcdctl().get("/kept")).isEqualTo("yes");
        }
    }

    @Test
    void stopAndKillEndTheProcess() {
        try (EtcdServer etcd = EtcdServer.start()) {
            etcd.stop();
            assertThat(etcd.isRunning()).isFalse();
            etcd.startAgain();
            etcd.awaitHealthy();
            etcd.kill();
            assertThat(etcd.isRunning()).isFalse();
            assertThatThrownBy(() -> etcd.etcdctl().with("--command-timeout=1s").get("/x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("etcdctl --endpoints=" + etcd.endpoint());
        }
    }

    @Test
    void wipeStartsANewEmptyClusterAtTheSameAddress() {
        try (EtcdServer etcd = EtcdServer.start()) {
            Etcdctl etcdctl = etcd.etcdctl();
            etcdctl.put("/gone", "soon");
            String clusterId = etcdctl.endpointClusterId();
            assertThat(etcdctl.clusterId()).isEqualTo(clusterId);

            etcd.wipe();

            assertThat(etcdctl.get("/gone")).isNull();
            assertThat(etcdctl.endpointClusterId()).isNotEqualTo(clusterId);
            assertThat(etcdctl.revision()).isEqualTo(1);
        }
    }

    @Test
    void frozenEtcdAnswersNothingUntilThawed() {
        try (EtcdServer etcd = EtcdServer.start()) {
            Etcdctl quick = etcd.etcdctl().with("--command-timeout=1s", "--dial-timeout=1s");
            quick.put("/f", "1");

            etcd.freeze();
            long start = System.nanoTime();
            assertThatThrownBy(() -> quick.get("/f")).isInstanceOf(IllegalStateException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Etcdctl.TIMEOUT);
            assertThat(etcd.isRunning()).isTrue();

            etcd.thaw();
            assertThat(await().atMost(WAIT).ignoreExceptions().until(() -> quick.get("/f"), "1"::equals))
                    .isEqualTo("1");
        }
    }

    @Test
    void closeEndsAFrozenEtcd() {
        EtcdServer etcd = EtcdServer.start();
        long pid = etcd.pid();
        etcd.freeze();
        etcd.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(etcd.baseDir()).doesNotExist();
    }

    @Test
    void compactDropsOlderRevisions() {
        try (EtcdServer etcd = EtcdServer.start()) {
            Etcdctl etcdctl = etcd.etcdctl();
            etcdctl.put("/c", "old");
            long old = etcdctl.revision();
            etcdctl.put("/c", "new");

            long compacted = etcd.compact();

            assertThat(compacted).isEqualTo(old + 1);
            assertThatThrownBy(() -> etcdctl.run("get", "--rev=" + old, "/c"))
                    .hasMessageContaining("compacted");
            assertThat(etcdctl.get("/c")).isEqualTo("new");
        }
    }

    @Test
    void threeMemberClusterSurvivesOneMemberKilled() {
        try (EtcdCluster cluster = EtcdServer.cluster(3)) {
            List<EtcdServer> members = cluster.members();
            assertThat(members).hasSize(3);
            assertThat(cluster.endpoints().split(";")).containsExactly(members.get(0).endpoint(),
                    members.get(1).endpoint(), members.get(2).endpoint());
            assertThat(members.stream().map(EtcdServer::clientPort).distinct()).hasSize(3);

            cluster.etcdctl().put("/before", "1");
            cluster.member(0).kill();
            assertThat(cluster.member(0).isRunning()).isFalse();

            Etcdctl survivors = Etcdctl.forEndpoints(members.get(1).endpoint() + "," + members.get(2).endpoint());
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> survivors.put("/after", "2"));
            assertThat(survivors.get("/before")).isEqualTo("1");
            assertThat(members.get(2).etcdctl().get("/after")).isEqualTo("2");

            cluster.member(0).restart();
            cluster.member(0).awaitHealthy();
            await().atMost(WAIT).ignoreExceptions()
                    .until(() -> members.get(0).etcdctl().get("/after"), "2"::equals);
        }
    }
}
