package dev.etcdagent.it.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;
import dev.etcdagent.it.matrix.ExecutableJarCase;
import dev.etcdagent.it.matrix.PackagedApps;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.Table.format;

/**
 * A put to a Spring {@code @Value} field and to a {@code @ConfigurationProperties} bean, against a put to a
 * {@code @Dynamic} field of the same Spring Boot application in the same run (its {@code BenchWatch} polls all three
 * every 0.1 ms and prints when one changes), then the application's start and exit with and without the agent.
 */
final class SpringFigures {

    private static final int PUTS = 200;
    private static final int WARM_UP = 5;
    /** Between two puts: each is applied long before the next, as an operator's changes are. */
    private static final long SPACING_MILLIS = 25;

    private SpringFigures() {
    }

    static void putToBeansAndStart(Table table, BenchEtcd etcd) throws Exception {
        String service = "/service/bench-spring";
        String config = "/config" + service + "/";
        // The watcher's line prefix, and the key it follows.
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("D", config + "bench.dynamic");
        keys.put("V", config + "bench.value");
        keys.put("C", config + "benchprops.value");
        for (String key : keys.values()) {
            etcd.etcdctl().put(key, "0");
        }
        ExecutableJarCase app = PackagedApps.springLive("Spring Boot 3.5 MVC fat jar (apps/spring-live)",
                AgentJvm.javaBinary());
        int port = FreePorts.next();
        Map<String, List<Double>> latencies = new HashMap<>();
        try (AgentJvm jvm = app.launcher(etcd.agentArgs(service, ""), port).jvmArg("-Dbench.watch=true").start()) {
            app.awaitFirstAnswer(jvm, port, WAIT);
            for (String target : keys.keySet()) {
                jvm.stdout().await("^" + target + " 0 ", WAIT);
            }
            // Measured once etcd's watch carries the changes, not the gateway's polls before it.
            jvm.stderr().await("connected to etcd", WAIT);
            Map<String, Map<Integer, Long>> putMicros = new HashMap<>();
            for (int value = -WARM_UP; value <= PUTS; value++) {
                if (value == 0) {
                    continue;
                }
                for (Map.Entry<String, String> key : keys.entrySet()) {
                    putMicros.computeIfAbsent(key.getKey(), target -> new HashMap<>())
                            .put(value, BenchConsumer.micros());
                    etcd.gateway().put(key.getValue(), Integer.toString(value));
                    Thread.sleep(SPACING_MILLIS);
                }
            }
            for (String target : keys.keySet()) {
                jvm.stdout().await("^" + target + " " + PUTS + " ", WAIT);
            }
            for (String line : jvm.stdout().lines()) {
                String[] parts = line.split(" ");
                if (parts.length != 3 || !keys.containsKey(parts[0])) {
                    continue;
                }
                int value = Integer.parseInt(parts[1]);
                if (value >= 1 && value <= PUTS) {
                    long sent = putMicros.get(parts[0]).get(value);
                    latencies.computeIfAbsent(parts[0], target -> new ArrayList<>())
                            .add((Long.parseLong(parts[2]) - sent) / 1000.0);
                }
            }
        }
        List<Double> dynamic = latencies.get("D");
        double dynamicP50 = Stats.median(dynamic);
        double dynamicP99 = Stats.percentile(dynamic, 99);
        String samples = "(" + dynamic.size() + " puts each, interleaved, after " + WARM_UP + " warm-up puts)";
        table.row("Spring app: `put` to `@Dynamic` field, p50 / p99", "reference",
                format(dynamicP50, 1) + " / " + format(dynamicP99, 1) + " ms", samples);
        row(table, "Spring app: `put` to `@Value` field, p50 / p99", latencies.get("V"), dynamicP50, dynamicP99);
        row(table, "Spring app: `put` to `@ConfigurationProperties` bean, p50 / p99", latencies.get("C"), dynamicP50,
                dynamicP99);
        FrameworkStartupFigures.startAndExit(table, etcd, List.of(app));
    }

    private static void row(Table table, String figure, List<Double> samples, double dynamicP50, double dynamicP99) {
        double p50 = Stats.median(samples);
        double p99 = Stats.percentile(samples, 99);
        table.row(figure, "≤ 1.2 × `@Dynamic`", format(p50, 1) + " / " + format(p99, 1) + " ms",
                "(" + format(p50 / dynamicP50, 2) + "× / " + format(p99 / dynamicP99, 2) + "× the `@Dynamic` field)");
    }
}
