package dev.etcdagent.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.it.apps.HelloWorld;
import dev.etcdagent.it.launch.AgentJvm;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.Stats.RUNS;
import static dev.etcdagent.it.bench.Table.format;

/**
 * What the agent adds to a JVM's start: the jar it loads, a hello world's wall time, and the time
 * until {@code main} reads a value from etcd; agent vs none, runs interleaved.
 */
final class StartupFigures {

    private StartupFigures() {
    }

    static void jarSize(Table table) throws IOException {
        double mb = Files.size(AgentJvm.agentJar()) / 1_000_000.0;
        table.row("agent jar size", "≤ 12 MB", format(mb, 1) + " MB", "");
    }

    static void helloWorld(Table table, BenchEtcd etcd) {
        List<Double> none = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < RUNS + 2; i++) {
            none.add(BenchJvms.wallMillis(AgentJvm.withoutAgent().main(HelloWorld.class)));
            with.add(BenchJvms.wallMillis(AgentJvm.withAgent(etcd.agentArgs("/service/bench-hello", ""))
                    .main(HelloWorld.class)));
        }
        table.row("hello-world wall time, agent vs none", "≤ +100 ms",
                "+" + format(Stats.median(with) - Stats.median(none), 0) + " ms",
                "(" + format(Stats.median(with), 0) + " vs " + format(Stats.median(none), 0) + " ms, median of "
                        + with.size() + ")");
    }

    static void startToMainReadingEtcd(Table table, BenchEtcd etcd) {
        String service = "/service/bench-main";
        etcd.etcdctl().put("/config" + service + "/bench.value", "42");
        List<Double> none = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < RUNS + 2; i++) {
            none.add(startToMainMillis(AgentJvm.withoutAgent(), "-1"));
            with.add(startToMainMillis(AgentJvm.withAgent(etcd.agentArgs(service, "")), "42"));
        }
        table.row("JVM start to `main` reading etcd's value, agent vs none", "≤ +300 ms",
                "+" + format(Stats.median(with) - Stats.median(none), 0) + " ms",
                "(" + format(Stats.median(with), 0) + " vs " + format(Stats.median(none), 0) + " ms)");
    }

    /** From just before the launch to the wall clock {@code main} printed, checking the value it read. */
    private static double startToMainMillis(AgentJvm.Builder builder, String expected) {
        long before = BenchConsumer.micros();
        try (AgentJvm jvm = builder.main(BenchConsumer.class).args("exit").start()) {
            String line = jvm.stdout().await("^(MAIN .*)$", WAIT);
            String[] parts = line.split(" ");
            if (!parts[2].equals(expected)) {
                throw new IllegalStateException("main read " + parts[2] + ", expected " + expected);
            }
            jvm.waitForExit(WAIT);
            return (Long.parseLong(parts[1]) - before) / 1000.0;
        }
    }
}
