package dev.etcdagent.it.bench;

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
import org.awaitility.Awaitility;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.Table.format;

/**
 * The benchmark's connectivity figures, each on an etcd of its own: a member cut off from its
 * peers for 35 s (registration keys deleted, client rebuilds, puts through the majority), an etcd
 * restart under a 6 MiB prefix, and 200 annotated classes loading while etcd is frozen.
 */
final class ConnectivityFigures {

    private static final Duration PARTITION = Duration.ofSeconds(35);
    private static final int JVMS = 3;
    private static final int RESTARTS = 3;
    private static final int PARTITION_RUNS = 10;
    private static final int DROP_RUNS = 5;
    private static final int CLASSES = 200;

    private ConnectivityFigures() {
    }

    private static String agent(String endpoints, String service) {
        return BenchJvms.agentArgs(endpoints, service, ",ttl=2");
    }

    /**
     * Member 0 (every JVM's first endpoint) cut off from its peers for 35 s while puts go through
     * the others, {@value #PARTITION_RUNS} times in a row, each on a new cluster and new JVMs.
     */
    static void minorityPartition(Table table) throws Exception {
        List<Integer> deleted = new ArrayList<>();
        List<Long> rebuilds = new ArrayList<>();
        List<Double> putMillis = new ArrayList<>();
        for (int run = 0; run < PARTITION_RUNS; run++) {
            deleted.add(minorityPartitionOnce(rebuilds, putMillis));
            System.err.println("minority partition run " + (run + 1) + ": keys deleted " + deleted.get(run));
        }
        table.row("live instances' keys deleted during a 35 s minority partition (ttl=2), " + PARTITION_RUNS
                        + " runs", "0", Integer.toString(deleted.stream().mapToInt(Integer::intValue).sum()),
                "(per run " + deleted + "; " + JVMS + " JVMs, member 0 cut off by iptables, etcdctl watch)");
        table.row("client rebuilds per JVM in that partition", "≤ 2",
                Long.toString(rebuilds.stream().mapToLong(Long::longValue).max().orElse(0)),
                "(max over " + rebuilds.size() + " JVMs)");
        table.row("put through the majority to every JVM during that partition, max", "≤ 3 s",
                format(Stats.percentile(putMillis, 100), 0) + " ms",
                "(p50 " + format(Stats.median(putMillis), 0) + " ms, " + putMillis.size()
                        + " puts, etcdctl put returning to the last JVM's field changed)");
    }

    private static int minorityPartitionOnce(List<Long> rebuilds, List<Double> putMillis) throws Exception {
        String service = "/service/bench-partition";
        List<AgentJvm> jvms = new ArrayList<>();
        try (EtcdCluster cluster = EtcdCluster.startWithSeparableFirstMember(3)) {
            Etcdctl majority = Etcdctl.forEndpoints(cluster.member(1).endpoint() + "," + cluster.member(2).endpoint());
            for (int i = 0; i < JVMS; i++) {
                jvms.add(AgentJvm.withAgent(agent(cluster.endpoints(), service)).main(ConfigApp.class).args("listen")
                        .start());
            }
            for (AgentJvm jvm : jvms) {
                jvm.stdout().await("READY", WAIT);
            }
            Awaitility.await().atMost(WAIT).until(() -> majority.getPrefix(service + "/").size() == JVMS);
            List<Integer> marks = new ArrayList<>();
            for (AgentJvm jvm : jvms) {
                marks.add(jvm.stderr().mark());
            }
            try (KeyEvents events = new KeyEvents(cluster.member(1).endpoint(), service + "/");
                 PeerPartition cut = cluster.cutOffFromPeers(0)) {
                Etcdctl cutOff = Etcdctl.forEndpoints(cluster.member(0).endpoint());
                Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> cutOff.endpointLeader() == 0);
                Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> {
                    majority.put("/config" + service + "/elected", "yes");
                    return true;
                });
                long end = System.nanoTime() + PARTITION.toNanos();
                for (int put = 1; System.nanoTime() < end; put++) {
                    majority.put("/config" + service + "/price", Integer.toString(put));
                    long start = System.nanoTime();
                    for (AgentJvm jvm : jvms) {
                        jvm.stdout().await("^VALUE price=" + put + "$", WAIT);
                    }
                    putMillis.add((System.nanoTime() - start) / 1e6);
                }
                for (int i = 0; i < JVMS; i++) {
                    List<String> lines = jvms.get(i).stderr().lines();
                    rebuilds.add(lines.subList(marks.get(i), lines.size()).stream()
                            .filter(line -> line.contains("new etcd client over")).count());
                }
                return events.keys("DELETE").size();
            }
        } finally {
            BenchJvms.closeAll(jvms);
        }
    }

    /** Every packet to etcd dropped for 4 s (twice the ttl), then healed: until the registration is back. */
    static void shortPartition(Table table) {
        String service = "/service/bench-dropped";
        List<Double> back = new ArrayList<>();
        try (EtcdServer etcd = EtcdServer.start();
             AgentJvm jvm = AgentJvm.withAgent(agent(etcd.endpoint(), service)).main(ConfigApp.class).args("listen")
                     .start()) {
            Etcdctl etcdctl = Etcdctl.forServer(etcd);
            String key = service + "/127.0.0.1:" + jvm.stdout().await("LISTENING (\\d+)", WAIT);
            for (int run = 0; run < DROP_RUNS; run++) {
                Awaitility.await().atMost(WAIT).until(() -> etcdctl.get(key) != null);
                long healed;
                try (ClientTrafficDrop drop = ClientTrafficDrop.to(etcd.clientPort())) {
                    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                            .until(() -> System.nanoTime() > end);
                    drop.close();
                    healed = System.nanoTime();
                }
                Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> etcdctl.get(key) != null);
                back.add((System.nanoTime() - healed) / 1e6);
            }
        }
        table.row("packets to etcd dropped for 4 s (ttl=2), healed to registration back", "≤ 1 s",
                format(Stats.median(back), 0) + " ms", "(max " + format(Stats.percentile(back, 100), 0) + " ms over "
                        + DROP_RUNS + " runs; etcdctl get every 20 ms)");
    }

    /** etcd restarted under a 6 MiB prefix (15,000 keys): from etcd answering again to a put applied. */
    static void bigPrefixRestart(Table table) {
        String service = "/service/bench-bulky";
        String prefix = "/config" + service + "/";
        try (EtcdServer etcd = EtcdServer.start()) {
            Etcdctl etcdctl = Etcdctl.forServer(etcd);
            BulkPuts.fill(etcd.endpoint(), prefix, 15_000, 400, "first");
            try (AgentJvm jvm = AgentJvm.withAgent(agent(etcd.endpoint(), service)).main(BigPrefixApp.class).start()) {
                jvm.stdout().await("^(INITIAL|VALUE) last=first$", WAIT);
                jvm.stderr().await("connected to etcd", WAIT);
                List<Double> applied = new ArrayList<>();
                for (int run = 1; run <= RESTARTS; run++) {
                    etcd.restart();
                    long back = System.nanoTime();
                    etcdctl.put(prefix + "bulk.last", "restart-" + run);
                    jvm.stdout().await("^VALUE last=restart-" + run + "$", WAIT);
                    applied.add((System.nanoTime() - back) / 1e6);
                }
                table.row("etcd restart with a 6 MiB prefix to a put applied", "≤ 5 s",
                        format(Stats.median(applied) / 1000, 2) + " s",
                        "(max " + format(Stats.percentile(applied, 100) / 1000, 2) + " s over " + RESTARTS
                                + " restarts; from etcd healthy, 15,000 keys of 400 bytes)");
            }
        }
    }

    /** 200 classes with an absolute key each, loaded while etcd is frozen, against the same with etcd answering. */
    static void classesWhileFrozen(Table table) throws Exception {
        Path classes = GeneratedClasses.compile(CLASSES, "/bench/classes/key");
        try {
            double answering = loadClasses(classes, false);
            double frozen = loadClasses(classes, true);
            table.row(CLASSES + " classes with absolute keys loading, etcd frozen vs answering", "≤ +2 s",
                    "+" + format((frozen - answering) / 1000, 2) + " s",
                    "(" + format(frozen, 0) + " vs " + format(answering, 0) + " ms)");
        } finally {
            GeneratedClasses.delete(classes);
        }
    }

    private static double loadClasses(Path classes, boolean frozen) {
        try (EtcdServer etcd = EtcdServer.start();
             AgentJvm jvm = AgentJvm.withAgent(agent(etcd.endpoint(), "/service/bench-classes"))
                     .main(ClassLoadingApp.class).args(classes.toString(), Integer.toString(CLASSES)).start()) {
            jvm.stdout().await("WAITING", WAIT);
            jvm.stderr().await("connected to etcd", WAIT);
            if (frozen) {
                etcd.freeze();
            }
            jvm.send("load");
            return Double.parseDouble(jvm.stdout().await("LOADED " + CLASSES + " IN (\\d+) ms", WAIT));
        }
    }
}
