package dev.etcdagent.it.bench;

import java.util.HashMap;
import java.util.Map;

import dev.etcdagent.it.launch.AgentJvm;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static dev.etcdagent.it.bench.Stats.RUNS;
import static dev.etcdagent.it.bench.Table.format;

/**
 * What reading configuration costs in a running JVM, by JMH: a {@code @Dynamic} field against a plain
 * volatile static field ({@link FieldReadBenchmark}), and {@code System.getProperty} of a name etcd
 * does not hold with and without the agent ({@link PropertyBenchmark}).
 */
final class ReadCostFigures {

    private ReadCostFigures() {
    }

    static void fieldReadAndGetProperty(Table table, BenchEtcd etcd) throws RunnerException {
        String jar = AgentJvm.agentJar().toString();
        String service = "/service/bench-jmh";
        // Keys in the prefix: the property overlay is not empty, as in production.
        etcd.etcdctl().put("/config" + service + "/feature.a", "1");
        etcd.etcdctl().put("/config" + service + "/feature.b", "2");
        String agentArg = "-javaagent:" + jar + "=" + etcd.agentArgs(service, "");
        Map<String, Double> field = runJmh(FieldReadBenchmark.class, agentArg);
        double dynamic = field.get("dynamicFieldRead");
        double plain = field.get("volatileFieldRead");
        table.row("`@Dynamic` field read vs a plain `volatile` static read (JMH)", "ratio ≤ 1.05",
                format(dynamic / plain, 2), "(" + format(dynamic, 2) + " vs " + format(plain, 2) + " ns/op)");
        double with = runJmh(PropertyBenchmark.class, agentArg).get("getPropertyNotInEtcd");
        double none = runJmh(PropertyBenchmark.class, null).get("getPropertyNotInEtcd");
        table.row("`System.getProperty`, key not in etcd, agent vs none (JMH)", "ratio ≤ 1.5", format(with / none, 2),
                "(" + format(with, 1) + " vs " + format(none, 1) + " ns/op)");
    }

    /** Each benchmark method's score by its name, in {@value Stats#RUNS} forks given {@code jvmArg}, if any. */
    private static Map<String, Double> runJmh(Class<?> benchmark, String jvmArg) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(benchmark.getName() + ".")
                .forks(RUNS)
                .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true);
        if (jvmArg != null) {
            options.jvmArgsAppend(jvmArg);
        }
        Map<String, Double> scores = new HashMap<>();
        for (RunResult result : new Runner(options.build()).run()) {
            String label = result.getPrimaryResult().getLabel();
            scores.put(label, result.getPrimaryResult().getScore());
        }
        return scores;
    }
}
