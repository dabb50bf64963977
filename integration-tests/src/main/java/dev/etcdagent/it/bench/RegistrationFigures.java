package dev.etcdagent.it.bench;

import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.Etcdctl;
import dev.etcdagent.it.launch.KeyEvents;

import static dev.etcdagent.it.bench.BenchJvms.CONNECTED;
import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.BenchJvms.cpuMillis;
import static dev.etcdagent.it.bench.BenchJvms.procStatus;
import static dev.etcdagent.it.bench.Stats.RUNS;
import static dev.etcdagent.it.bench.Table.format;

/**
 * A registering JVM: what the agent costs it (memory, CPU, threads, once the agent logged that its gRPC
 * session is up, against the same program without the agent 2 s after it listens) and how fast its key
 * follows it, from an etcd watch's events: start to key visible, SIGTERM and {@code kill -9} to key gone,
 * an operator's lease revoke to key back.
 */
final class RegistrationFigures {

    private RegistrationFigures() {
    }

    static void costAndKeyTimes(Table table, BenchEtcd etcd) throws Exception {
        String service = "/service/bench-reg";
        Etcdctl etcdctl = etcd.etcdctl();
        List<Double> startToKey = new ArrayList<>();
        List<Double> sigtermToGone = new ArrayList<>();
        List<Double> killToGone = new ArrayList<>();
        List<Double> revokeToBack = new ArrayList<>();
        List<Double> rssWith = new ArrayList<>();
        List<Double> rssWithout = new ArrayList<>();
        List<Double> cpuWith = new ArrayList<>();
        List<Double> cpuWithout = new ArrayList<>();
        List<Double> threadsAdded = new ArrayList<>();
        try (KeyEvents events = new KeyEvents(etcd.endpoint(), service + "/")) {
            Thread.sleep(500);
            for (int i = 0; i < RUNS; i++) {
                try (AgentJvm plain = AgentJvm.withoutAgent().main(BenchProvider.class).start()) {
                    plain.stdout().await("LISTENING (\\d+)", WAIT);
                    Thread.sleep(2000);
                    rssWithout.add(procStatus(plain.pid(), "VmRSS") / 1024.0);
                    cpuWithout.add(cpuMillis(plain.pid()));
                    double plainThreads = procStatus(plain.pid(), "Threads");
                    try (AgentJvm jvm = AgentJvm.withAgent(etcd.agentArgs(service, ",ttl=2")).main(BenchProvider.class)
                            .start()) {
                        long put = events.await("PUT", service + "/", jvm.startNanos(), WAIT);
                        startToKey.add((put - jvm.startNanos()) / 1e6);
                        // Registered through the gateway first: connected only once the gRPC session is up.
                        jvm.stderr().await(CONNECTED, WAIT);
                        rssWith.add(procStatus(jvm.pid(), "VmRSS") / 1024.0);
                        cpuWith.add(cpuMillis(jvm.pid()));
                        threadsAdded.add(procStatus(jvm.pid(), "Threads") - plainThreads);
                        String key = etcdctl.getPrefix(service + "/").keySet().iterator().next();
                        long revoke = System.nanoTime();
                        etcdctl.leaseRevoke(etcdctl.leaseOf(key));
                        revokeToBack.add((events.await("PUT", key, revoke, WAIT) - revoke) / 1e6);
                        long term = System.nanoTime();
                        jvm.sigterm();
                        sigtermToGone.add((events.await("DELETE", service + "/", term, WAIT) - term) / 1e6);
                    }
                }
                try (AgentJvm jvm = AgentJvm.withAgent(etcd.agentArgs(service, ",ttl=2")).main(BenchProvider.class)
                        .start()) {
                    events.await("PUT", service + "/", jvm.startNanos(), WAIT);
                    long kill = System.nanoTime();
                    jvm.kill9();
                    killToGone.add((events.await("DELETE", service + "/", kill, WAIT) - kill) / 1e6);
                }
            }
        }
        table.row("resident memory once connected and registered", "≤ +40 MB",
                "+" + format(Stats.median(rssWith) - Stats.median(rssWithout), 0) + " MB",
                "(" + format(Stats.median(rssWith), 0) + " vs " + format(Stats.median(rssWithout), 0)
                        + " MB RSS, once the agent logged `connected to etcd`)");
        table.row("agent CPU time to connect and register", "≤ 0.45 s",
                format((Stats.median(cpuWith) - Stats.median(cpuWithout)) / 1000, 2) + " s",
                "(" + format(Stats.median(cpuWith), 0) + " vs " + format(Stats.median(cpuWithout), 0)
                        + " ms of process CPU, once the agent logged `connected to etcd`)");
        table.row("threads added", "≤ 6", format(Stats.median(threadsAdded), 0), "");
        table.row("JVM start to key visible in etcd", "≤ 1 s", format(Stats.median(startToKey), 0) + " ms", "");
        table.row("SIGTERM to key gone", "≤ 100 ms", format(Stats.median(sigtermToGone), 0) + " ms", "");
        table.row("`kill -9` to key gone, ttl=2", "≤ 3 s", format(Stats.median(killToGone), 0) + " ms", "");
        table.row("lease revoked by an operator to key back", "≤ 1 s", format(Stats.median(revokeToBack), 0) + " ms",
                "(from etcdctl lease revoke starting)");
    }
}
