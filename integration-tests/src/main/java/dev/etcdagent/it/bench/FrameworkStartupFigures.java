package dev.etcdagent.it.bench;

import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;
import dev.etcdagent.it.matrix.MatrixCase;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.Stats.RUNS;
import static dev.etcdagent.it.bench.Table.format;
import static dev.etcdagent.it.bench.Table.signed;

/**
 * Each framework application's start-up and exit cost (the compatibility matrix's, or the packaged
 * ones): launch to first answer, SIGTERM to exit, agent vs none.
 */
final class FrameworkStartupFigures {

    private FrameworkStartupFigures() {
    }

    static void startAndExit(Table table, BenchEtcd etcd, List<? extends MatrixCase> apps) {
        for (MatrixCase app : apps) {
            startAndExit(table, etcd, app);
        }
    }

    private static void startAndExit(Table table, BenchEtcd etcd, MatrixCase app) {
        List<Double> answerNone = new ArrayList<>();
        List<Double> answerWith = new ArrayList<>();
        List<Double> exitNone = new ArrayList<>();
        List<Double> exitWith = new ArrayList<>();
        try {
            for (int i = 0; i < RUNS; i++) {
                startAndStop(app, null, answerNone, exitNone);
                startAndStop(app, etcd.agentArgs("/service/bench-matrix", ",ttl=10"), answerWith, exitWith);
            }
        } catch (RuntimeException e) {
            // One application that cannot run here is a row of its own, not the end of the benchmark.
            table.row(app.name() + ": launch to first answer, agent vs none", "≤ +100 ms", "not measured",
                    "(" + e.getMessage() + ")");
            return;
        }
        table.row(app.name() + ": launch to first answer, agent vs none", "≤ +100 ms",
                signed(Stats.median(answerWith) - Stats.median(answerNone)) + " ms",
                "(" + format(Stats.median(answerWith), 0) + " vs " + format(Stats.median(answerNone), 0) + " ms)");
        table.row(app.name() + ": SIGTERM to exit, agent vs none", "no delay",
                signed(Stats.median(exitWith) - Stats.median(exitNone)) + " ms",
                "(" + format(Stats.median(exitWith), 0) + " vs " + format(Stats.median(exitNone), 0) + " ms)");
    }

    private static void startAndStop(MatrixCase app, String agentArgs, List<Double> answers, List<Double> exits) {
        int port = FreePorts.next();
        try (AgentJvm jvm = app.launcher(agentArgs, port).start()) {
            answers.add((double) app.awaitFirstAnswer(jvm, port, WAIT));
            exits.add((double) MatrixCase.sigtermToExitMillis(jvm, WAIT));
        }
    }
}
