package dev.etcdagent.it.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.etcdagent.it.launch.AgentJvm;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;

/**
 * {@link BenchConsumer} JVMs started together, for the propagation and operator figures: each prints
 * when its {@code @Dynamic} field changed, to set against when the benchmark put the value.
 */
final class ConsumerFleet implements AutoCloseable {

    private final List<AgentJvm> jvms = new ArrayList<>();

    void start(String agentArgs) {
        jvms.add(AgentJvm.withAgent(agentArgs).main(BenchConsumer.class).start());
    }

    List<AgentJvm> jvms() {
        return jvms;
    }

    int size() {
        return jvms.size();
    }

    /** Until every consumer is connected and has the value 0 (read before main, or just after). */
    void awaitReady() {
        for (AgentJvm consumer : jvms) {
            consumer.stdout().await("^(MAIN \\d+ 0$|V 0 )", WAIT);
            consumer.stderr().await("connected to etcd", WAIT);
        }
    }

    /** Puts -2, -1 (warm-up, not counted), then 1..{@code puts}, 150 ms apart; returns when each was sent. */
    static Map<Integer, Long> putInTurn(Gateway gateway, String key, int puts) throws Exception {
        Map<Integer, Long> putMicros = new HashMap<>();
        for (int value = -2; value <= puts; value++) {
            if (value == 0) {
                continue;
            }
            putMicros.put(value, BenchConsumer.micros());
            gateway.put(key, Integer.toString(value));
            Thread.sleep(150);
        }
        return putMicros;
    }

    /** Each consumer's {@code V value micros} lines for values 1..{@code puts}, against when each was put. */
    List<Double> latencies(int puts, Map<Integer, Long> putMicros) {
        List<Double> latencies = new ArrayList<>();
        for (AgentJvm consumer : jvms) {
            consumer.stdout().await("^V " + puts + " ", WAIT);
            for (String line : consumer.stdout().lines()) {
                if (line.startsWith("V ")) {
                    String[] parts = line.split(" ");
                    int value = Integer.parseInt(parts[1]);
                    if (value < 1 || value > puts) {
                        continue;
                    }
                    long sent = putMicros.get(value);
                    latencies.add((Long.parseLong(parts[2]) - sent) / 1000.0);
                }
            }
        }
        return latencies;
    }

    @Override
    public void close() {
        BenchJvms.closeAll(jvms);
    }
}
