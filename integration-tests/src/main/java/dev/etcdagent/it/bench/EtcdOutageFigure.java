package dev.etcdagent.it.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.it.launch.AgentJvm;
import org.awaitility.Awaitility;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.Stats.RUNS;
import static dev.etcdagent.it.bench.Table.format;

/**
 * {@value Stats#RUNS} registered JVMs while etcd is stopped for minutes and started again with the
 * same data: from etcd answering again to each agent keeping its lease again.
 */
final class EtcdOutageFigure {

    private EtcdOutageFigure() {
    }

    static void recoveryAfter(Table table, BenchEtcd etcd, int seconds) throws Exception {
        String service = "/service/bench-outage";
        Gateway gateway = etcd.gateway();
        List<AgentJvm> jvms = new ArrayList<>();
        try {
            for (int i = 0; i < RUNS; i++) {
                jvms.add(AgentJvm.withAgent(etcd.agentArgs(service, ",ttl=2")).main(BenchProvider.class).start());
            }
            Awaitility.await().atMost(WAIT).until(() -> gateway.keys(service + "/").size() == RUNS);
            System.err.println("outage: etcd stopped for " + seconds + " s");
            etcd.server().stop();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < until) {
                Thread.sleep(1000);
            }
            etcd.server().startAgain();
            etcd.server().awaitHealthy();
            long backMicros = BenchConsumer.micros();
            long backNanos = System.nanoTime();
            // etcd restores leases with a fresh TTL, so the keys are back at once whether or not an agent
            // lives: what counts is each agent keeping its lease again, which its log line tells.
            List<Double> recovered = new ArrayList<>();
            for (AgentJvm jvm : jvms) {
                String line = jvm.stderr().await("^(\\[etcd-agent\\] \\S+ INFO reconnected to etcd.*)$", WAIT);
                long at = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(line.split(" ")[1]));
                recovered.add(Math.max(0, at - backMicros) / 1000.0);
            }
            // Several TTLs later every key is still there: every lease is kept alive again.
            while (System.nanoTime() - backNanos < TimeUnit.SECONDS.toNanos(6)) {
                Thread.sleep(100);
            }
            int present = gateway.keys(service + "/").size();
            if (present != RUNS) {
                throw new IllegalStateException(present + " of " + RUNS + " keys present 6 s after etcd came back");
            }
            table.row("etcd back after a " + seconds + " s outage to registration kept alive again", "≤ 5 s",
                    format(Stats.median(recovered) / 1000, 2) + " s",
                    "(max " + format(Stats.percentile(recovered, 100) / 1000, 2) + " s over " + recovered.size()
                            + " JVMs; all keys present " + (RUNS == present ? "6 s later" : "?") + ")");
        } finally {
            BenchJvms.closeAll(jvms);
        }
    }
}
