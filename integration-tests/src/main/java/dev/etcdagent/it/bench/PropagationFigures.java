package dev.etcdagent.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.etcdagent.it.launch.AgentJvm;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.Stats.RUNS;
import static dev.etcdagent.it.bench.Table.format;

/**
 * How fast a change reaches many JVMs, on the same fleet of consumer JVMs: a put to their
 * {@code @Dynamic} field changed, and a new provider instance to their {@code @Discover} list
 * holding it, then its {@code kill -9} to the list without it.
 */
final class PropagationFigures {

    private PropagationFigures() {
    }

    static void putToFieldAndDiscovery(Table table, BenchEtcd etcd, int consumerCount) throws Exception {
        String service = "/service/bench-consumer";
        String key = "/config" + service + "/bench.value";
        etcd.etcdctl().put(key, "0");
        try (ConsumerFleet consumers = new ConsumerFleet()) {
            for (int i = 0; i < consumerCount; i++) {
                consumers.start(etcd.agentArgs(service, ",ttl=10"));
            }
            // Twenty JVMs starting at once on two cores take seconds to connect: measure once all watch.
            consumers.awaitReady();
            Thread.sleep(3000);
            int puts = 20;
            // Two warm-up puts first (not counted): the first change a JVM applies runs cold code.
            int warmUp = 2;
            Map<Integer, Long> putMicros = ConsumerFleet.putInTurn(etcd.gateway(), key, puts);
            List<Double> latencies = consumers.latencies(puts, putMicros);
            table.row("`put` to field changed, " + consumerCount + " JVMs, p50 / p99", "p99 ≤ 50 ms",
                    format(Stats.median(latencies), 1) + " / " + format(Stats.percentile(latencies, 99), 1) + " ms",
                    "(" + latencies.size() + " samples, after " + warmUp + " warm-up puts; 1 ms polling)");
            discovery(table, etcd, consumerCount, consumers.jvms());
        }
    }

    /** A provider started {@value Stats#RUNS} times: bound to seen by every consumer, {@code kill -9} to gone. */
    private static void discovery(Table table, BenchEtcd etcd, int consumerCount, List<AgentJvm> consumers) {
        List<Double> seen = new ArrayList<>();
        List<Double> removed = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            int[] marks = new int[consumers.size()];
            for (int i = 0; i < consumers.size(); i++) {
                marks[i] = consumers.get(i).stdout().mark();
            }
            try (AgentJvm provider = AgentJvm.withAgent(etcd.agentArgs("/service/bench-provider", ",ttl=2"))
                    .main(BenchProvider.class).start()) {
                long listening = Long.parseLong(provider.stdout().await("LISTENING \\d+ (\\d+)", WAIT));
                for (int i = 0; i < consumers.size(); i++) {
                    long at = Long.parseLong(consumers.get(i).stdout().awaitAfter(marks[i], "^P 1 (\\d+)", WAIT));
                    seen.add((at - listening) / 1000.0);
                    marks[i] = consumers.get(i).stdout().mark();
                }
                long killed = BenchConsumer.micros();
                provider.kill9();
                for (int i = 0; i < consumers.size(); i++) {
                    long at = Long.parseLong(consumers.get(i).stdout().awaitAfter(marks[i], "^P 0 (\\d+)", WAIT));
                    removed.add((at - killed) / 1000.0);
                }
            }
        }
        table.row("new instance listening to seen by " + consumerCount + " consumer JVMs, p99", "≤ 1 s",
                format(Stats.percentile(seen, 99), 0) + " ms", "(p50 " + format(Stats.median(seen), 0) + " ms)");
        table.row("`kill -9` of an instance to removed from consumers, ttl=2", "≤ 3 s",
                format(Stats.median(removed), 0) + " ms", "(p99 " + format(Stats.percentile(removed, 99), 0) + " ms)");
    }
}
