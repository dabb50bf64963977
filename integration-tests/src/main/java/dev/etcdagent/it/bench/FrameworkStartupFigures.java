package dev.etcdagent.it.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;
import dev.etcdagent.it.launch.KeyEvents;
import dev.etcdagent.it.matrix.MatrixCase;
import dev.etcdagent.it.matrix.PackagedApps;
import dev.etcdagent.it.matrix.WildFlyCase;

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
        List<Double> keyAfterAnswer = new ArrayList<>();
        try (KeyEvents registrations = new KeyEvents(etcd.endpoint(), "/service/bench-matrix/")) {
            for (int i = 0; i < RUNS; i++) {
                startAndStop(app, null, answerNone, exitNone, null, null);
                startAndStop(app, etcd.agentArgs("/service/bench-matrix", ",ttl=10"), answerWith, exitWith,
                        registrations, keyAfterAnswer);
            }
        } catch (IOException | RuntimeException e) {
            // One application that cannot run here is a row of its own, not the end of the benchmark.
            table.row(app.name() + ": launch to first answer, agent vs none", "≤ +100 ms", "not measured",
                    "(" + e.getMessage() + ")");
            return;
        }
        table.row(app.name() + ": launch to first answer, agent vs none", "≤ +100 ms",
                signed(Stats.median(answerWith) - Stats.median(answerNone)) + " ms",
                "(" + format(Stats.median(answerWith), 0) + " vs " + format(Stats.median(answerNone), 0) + " ms)");
        table.row(app.name() + ": key in etcd after the first answer", "≤ 100 ms",
                signed(Stats.median(keyAfterAnswer)) + " ms", "(negative: before; " + keyAfterAnswer.size() + " runs)");
        table.row(app.name() + ": SIGTERM to exit, agent vs none", "no delay",
                signed(Stats.median(exitWith) - Stats.median(exitNone)) + " ms",
                "(" + format(Stats.median(exitWith), 0) + " vs " + format(Stats.median(exitNone), 0) + " ms)");
    }

    private static void startAndStop(MatrixCase app, String agentArgs, List<Double> answers, List<Double> exits,
                                     KeyEvents registrations, List<Double> keyAfterAnswer) {
        int port = FreePorts.next();
        try (AgentJvm jvm = app.launcher(agentArgs, port).start()) {
            long answer = app.awaitFirstAnswer(jvm, port, WAIT);
            answers.add((double) answer);
            if (registrations != null) {
                long put = registrations.await("PUT", "/service/bench-matrix/", jvm.startNanos(), WAIT);
                keyAfterAnswer.add((put - jvm.startNanos()) / 1e6 - answer);
            }
            exits.add((double) MatrixCase.sigtermToExitMillis(jvm, WAIT));
        }
    }

    /**
     * WildFly on its default ports, {@code launches} times in a row: whether the HTTP port (8080) was the
     * one registered every time and never the management port (9990) opened beside it, and how soon after
     * the first answer the key was in etcd.
     */
    static void wildFlyPortChoice(Table table, BenchEtcd etcd, int launches) {
        WildFlyCase app = PackagedApps.wildFlyWar().withDefaultPorts();
        String service = "/service/bench-wildfly";
        int right = 0;
        List<Double> keyAfterAnswer = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        try (KeyEvents registrations = new KeyEvents(etcd.endpoint(), service + "/")) {
            for (int i = 0; i < launches; i++) {
                try (AgentJvm jvm = app.launcher(etcd.agentArgs(service, ",ttl=10"), 8080).start()) {
                    long answer = app.awaitFirstAnswer(jvm, 8080, WAIT);
                    long put = registrations.await("PUT", service + "/", jvm.startNanos(), WAIT);
                    keyAfterAnswer.add((put - jvm.startNanos()) / 1e6 - answer);
                    MatrixCase.sigtermToExitMillis(jvm, WAIT);
                }
            }
            for (String key : registrations.keys("PUT")) {
                if (key.equals(service + "/127.0.0.1:8080")) {
                    right++;
                } else {
                    wrong.add(key);
                }
            }
        } catch (IOException | RuntimeException e) {
            table.row("WildFly 39, " + launches + " launches on its default ports: HTTP port registered", "every time",
                    "not measured", "(" + e.getMessage() + ")");
            return;
        }
        table.row("WildFly 39, " + launches + " launches on its default ports: HTTP port registered", "every time",
                wrong.isEmpty() ? "every time" : wrong.size() + " wrong", "(" + right + " puts of 127.0.0.1:8080"
                        + (wrong.isEmpty() ? "" : "; also " + String.join(", ", wrong)) + ")");
        table.row("WildFly 39: key in etcd after the first answer", "≤ 100 ms",
                signed(Stats.median(keyAfterAnswer)) + " ms", "(median of " + keyAfterAnswer.size() + "; negative: before)");
    }
}
