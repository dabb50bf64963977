package dev.etcdagent.it.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.KeyEvents;

import static dev.etcdagent.it.bench.BenchJvms.CONNECTED;
import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.BenchJvms.cpuMillis;
import static dev.etcdagent.it.bench.Stats.RUNS;
import static dev.etcdagent.it.bench.Table.format;

/**
 * What the agent costs an application that listens, side by side with the same program without the agent
 * ({@link BenchProvider}) and with a bare jetcd client doing the agent's work by hand ({@link BareJetcdClient}):
 * the first bind to its key visible in etcd, process CPU in the first 10 s, and process CPU per minute once
 * idle. The agent runs with its defaults ({@code ttl} 10, status record on) but for the benchmark's loopback
 * host and no snapshot file.
 */
final class StartupCostFigures {

    private static final String AGENT_SERVICE = "/service/bench-cost-agent";
    private static final String BARE_SERVICE = "/service/bench-cost-bare";
    /** When the first figure's process CPU is read, after launch. */
    private static final Duration FIRST = Duration.ofSeconds(10);
    /** The idle figure's window, after launch: well past the agent's gRPC session (up to 15 s). */
    private static final Duration IDLE_FROM = Duration.ofSeconds(20);
    private static final Duration IDLE_TO = Duration.ofSeconds(80);
    /** Fewer runs than {@link Stats#RUNS}: each takes 80 s. */
    private static final int IDLE_RUNS = 3;

    private StartupCostFigures() {
    }

    /**
     * Per run, one after the other: BenchProvider without the agent, with it, and BareJetcdClient; each one's
     * process CPU 10 s after its launch, and for the last two the time from the bind (the {@code BOUND} line)
     * to the PUT of their key as an etcd watch sees it.
     */
    static void bindToKeyAndFirstCpu(Table table, BenchEtcd etcd) throws Exception {
        putConfig(etcd);
        List<Double> cpuNone = new ArrayList<>();
        List<Double> cpuAgent = new ArrayList<>();
        List<Double> cpuBare = new ArrayList<>();
        List<Double> bindToKeyAgent = new ArrayList<>();
        List<Double> bindToKeyBare = new ArrayList<>();
        int agentConnected = 0;
        int bareWatching = 0;
        try (KeyEvents events = new KeyEvents(etcd.endpoint(), "/service/bench-cost-")) {
            Thread.sleep(500);
            for (int i = 0; i < RUNS; i++) {
                try (AgentJvm none = AgentJvm.withoutAgent().main(BenchProvider.class).start()) {
                    cpuNone.add(cpuAt(none, FIRST));
                }
                try (AgentJvm agent = agent(etcd).start()) {
                    cpuAgent.add(cpuAt(agent, FIRST));
                    agentConnected += logged(agent, CONNECTED) ? 1 : 0;
                    bindToKeyAgent.add(bindToKeyMillis(agent, events, AGENT_SERVICE));
                }
                try (AgentJvm bare = bareClient(etcd).start()) {
                    cpuBare.add(cpuAt(bare, FIRST));
                    bareWatching += bare.stdout().contains("WATCHING") ? 1 : 0;
                    bindToKeyBare.add(bindToKeyMillis(bare, events, BARE_SERVICE));
                }
            }
        }
        table.row("first server socket bound to key visible in etcd", "≤ 100 ms",
                format(Stats.median(bindToKeyAgent), 0) + " ms",
                "(bare jetcd client: " + format(Stats.median(bindToKeyBare), 0)
                        + " ms; from System.nanoTime right after bind to the etcd watch's PUT event; `--only cost`)");
        double agent = Stats.median(cpuAgent) - Stats.median(cpuNone);
        double bare = Stats.median(cpuBare) - Stats.median(cpuNone);
        table.row("agent's process CPU in the first 10 s of a JVM that listens", "≤ 0.6 s",
                format(agent / 1000, 2) + " s",
                "(" + format(Stats.median(cpuAgent), 0) + " vs " + format(Stats.median(cpuNone), 0)
                        + " ms of process CPU 10 s after launch; connected to etcd by then in " + agentConnected
                        + " of " + cpuAgent.size() + " runs)");
        table.row("the same, agent vs a bare jetcd client doing the same work", "ratio ≤ 0.5",
                format(agent / bare, 2),
                "(" + format(agent / 1000, 2) + " vs " + format(bare / 1000, 2) + " s; bare client "
                        + format(Stats.median(cpuBare), 0) + " ms of process CPU, watching by then in "
                        + bareWatching + " of " + cpuBare.size() + " runs)");
    }

    /**
     * Per run, at the same time (they are idle, so they hardly compete for the cores): BenchProvider without the
     * agent, with it, and BareJetcdClient; each one's process CPU from 20 s to 80 s after its launch.
     */
    static void idleCpuPerMinute(Table table, BenchEtcd etcd) throws Exception {
        putConfig(etcd);
        List<Double> none = new ArrayList<>();
        List<Double> agent = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        int agentConnected = 0;
        for (int i = 0; i < IDLE_RUNS; i++) {
            List<AgentJvm> jvms = new ArrayList<>();
            try {
                jvms.add(AgentJvm.withoutAgent().main(BenchProvider.class).start());
                jvms.add(agent(etcd).start());
                jvms.add(bareClient(etcd).start());
                List<Double> from = new ArrayList<>();
                for (AgentJvm jvm : jvms) {
                    from.add(cpuAt(jvm, IDLE_FROM));
                }
                agentConnected += logged(jvms.get(1), CONNECTED) ? 1 : 0;
                List<Double> window = new ArrayList<>();
                for (int j = 0; j < jvms.size(); j++) {
                    window.add(perMinute(cpuAt(jvms.get(j), IDLE_TO) - from.get(j)));
                }
                none.add(window.get(0));
                agent.add(window.get(1));
                bare.add(window.get(2));
            } finally {
                BenchJvms.closeAll(jvms);
            }
        }
        double agentCost = Stats.median(agent) - Stats.median(none);
        double bareCost = Stats.median(bare) - Stats.median(none);
        table.row("idle agent, CPU per minute", "≤ 0.3 s", format(agentCost / 1000, 2) + " s",
                "(bare jetcd client: " + format(bareCost / 1000, 2) + " s; " + format(Stats.median(agent), 0) + " vs "
                        + format(Stats.median(none), 0) + " ms of process CPU from 20 s to 80 s after launch; the"
                        + " three JVMs idle side by side in each run, median of " + agent.size()
                        + "; connected to etcd by 20 s in " + agentConnected + " of " + agent.size() + " runs)");
    }

    /** One key under each service's configuration prefix: both read a prefix that holds something. */
    private static void putConfig(BenchEtcd etcd) {
        for (String service : List.of(AGENT_SERVICE, BARE_SERVICE)) {
            etcd.etcdctl().put("/config" + service + "/bench.value", "42");
        }
    }

    private static AgentJvm.Builder agent(BenchEtcd etcd) {
        return AgentJvm.withAgent(etcd.agentArgs(AGENT_SERVICE, "")).main(BenchProvider.class);
    }

    /**
     * BareJetcdClient's JVM, the only child given jetcd. Its class path is this module's classes and
     * target/runtime.classpath, which the build writes (dependency:build-classpath, runtime scope, see the pom): jetcd
     * and its dependencies at the versions Maven resolved for this module. Not this benchmark JVM's own class path:
     * bin/bench builds that one with every scope, the agent's unshaded classes (and their SLF4J provider) among them.
     * Every other child, with or without the agent, gets from AgentJvm only this module's classes and the bootstrap
     * jar, never its dependencies: jetcd stays out of their sight.
     */
    private static AgentJvm.Builder bareClient(BenchEtcd etcd) throws Exception {
        Path classes = Paths.get(BareJetcdClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dependencies = classes.resolveSibling("runtime.classpath");
        if (!Files.isRegularFile(dependencies)) {
            throw new IllegalStateException(dependencies + " is missing: build it with mvn -pl integration-tests compile");
        }
        String path = classes + File.pathSeparator + Files.readString(dependencies).trim();
        return AgentJvm.withoutAgent().withoutAppClasses().classpathEntry(path).main(BareJetcdClient.class)
                .args(etcd.endpoint(), BARE_SERVICE);
    }

    /** The process CPU of {@code jvm} (ms) once {@code after} has passed since its launch; it must listen by then. */
    private static double cpuAt(AgentJvm jvm, Duration after) throws Exception {
        TimeUnit.NANOSECONDS.sleep(jvm.startNanos() + after.toNanos() - System.nanoTime());
        double cpu = cpuMillis(jvm.pid());
        if (!jvm.stdout().contains("LISTENING")) {
            throw new IllegalStateException("JVM " + jvm.pid() + " not listening " + after.toSeconds()
                    + " s after its launch: see " + jvm.dir());
        }
        return cpu;
    }

    /** From the {@code BOUND} line's System.nanoTime to the first PUT of {@code service}'s key after the launch. */
    private static double bindToKeyMillis(AgentJvm jvm, KeyEvents events, String service) {
        long bound = Long.parseLong(jvm.stdout().await("^BOUND (\\d+)$", WAIT));
        long put = events.await("PUT", service + "/", jvm.startNanos(), WAIT);
        return (put - bound) / 1e6;
    }

    private static boolean logged(AgentJvm jvm, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return jvm.stderr().lines().stream().anyMatch(line -> pattern.matcher(line).find());
    }

    private static double perMinute(double cpuMillis) {
        return cpuMillis * 60 / (IDLE_TO.toSeconds() - IDLE_FROM.toSeconds());
    }
}
