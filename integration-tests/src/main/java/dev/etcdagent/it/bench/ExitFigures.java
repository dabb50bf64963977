package dev.etcdagent.it.bench;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.etcdagent.it.apps.GracefulServer;
import dev.etcdagent.it.launch.AgentJvm;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.Stats.RUNS;
import static dev.etcdagent.it.bench.Table.format;
import static dev.etcdagent.it.bench.Table.signed;

/**
 * JVM exit, agent vs none: SIGTERM to process gone, and {@code main} returning to process gone, of
 * a server whose own shutdown hook closes its socket (as real servers do, so that none of its
 * threads is left in native code, where HotSpot would wait for it up to 300 ms at exit); with the
 * agent and {@code service}, with the agent and no {@code service}, and without the agent, runs interleaved.
 */
final class ExitFigures {

    private ExitFigures() {
    }

    static void exitTimes(Table table, BenchEtcd etcd) throws Exception {
        String service = "/service/bench-exit";
        String withService = etcd.agentArgs(service, ",ttl=2");
        String noService = "endpoints=" + etcd.endpoint() + ",snapshot=off";
        Map<String, List<Double>> sigterm = new HashMap<>();
        Map<String, List<Double>> returning = new HashMap<>();
        for (int i = 0; i < RUNS + 2; i++) {
            for (boolean term : new boolean[] {true, false}) {
                Map<String, List<Double>> figures = term ? sigterm : returning;
                figures.computeIfAbsent("none", k -> new ArrayList<>())
                        .add(exitMillis(AgentJvm.withoutAgent(), null, term));
                figures.computeIfAbsent("service", k -> new ArrayList<>())
                        .add(exitMillis(AgentJvm.withAgent(withService), "INFO registered ", term));
                figures.computeIfAbsent("no service", k -> new ArrayList<>())
                        .add(exitMillis(AgentJvm.withAgent(noService), "INFO connected to etcd", term));
            }
        }
        exitRow(table, "SIGTERM to process gone", sigterm);
        exitRow(table, "`main` returning to process gone", returning);
    }

    private static void exitRow(Table table, String what, Map<String, List<Double>> figures) {
        double none = Stats.median(figures.get("none"));
        double service = Stats.median(figures.get("service"));
        double noService = Stats.median(figures.get("no service"));
        table.row(what + ", agent vs none, with / without `service`", "≤ +50 ms",
                signed(service - none) + " / " + signed(noService - none) + " ms",
                "(" + format(service, 0) + " / " + format(noService, 0) + " vs " + format(none, 0) + " ms, median of "
                        + figures.get("none").size() + ")");
    }

    private static double exitMillis(AgentJvm.Builder builder, String agentReady, boolean sigterm) throws Exception {
        try (AgentJvm jvm = builder.main(GracefulServer.class).start()) {
            int port = Integer.parseInt(jvm.stdout().await("LISTENING (\\d+)", WAIT));
            if (agentReady != null) {
                jvm.stderr().await(agentReady, WAIT);
            }
            // Settled: start-up's compilations done, as in a JVM that has been running.
            Thread.sleep(1500);
            if (sigterm) {
                long term = System.nanoTime();
                jvm.sigterm();
                jvm.waitForExit(WAIT);
                return (System.nanoTime() - term) / 1e6;
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("return\n".getBytes(StandardCharsets.UTF_8));
                socket.getInputStream().read();
            }
            long returned = Long.parseLong(jvm.stdout().await("RETURNING (\\d+)", WAIT));
            jvm.waitForExit(WAIT);
            return (GracefulServer.micros() - returned) / 1000.0;
        }
    }
}
