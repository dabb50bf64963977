package dev.etcdagent.it.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.matrix.MatrixApps;
import dev.etcdagent.it.matrix.PackagedApps;

/**
 * The project's benchmark: every figure of docs/benchmarks.md (the README shows a selection),
 * measured on real etcd and real JVMs (JMH for in-process costs), with and without the agent in
 * the same run, medians of {@value Stats#RUNS} runs or more. Prints the table in Markdown and writes
 * it to target/benchmark.md.
 *
 * <p>Options: {@code --outage-seconds N} (default 180), {@code --skip-outage}, and {@code --only NAME}
 * (repeatable) to run some parts: jar, hello, registration, cost (an application that listens, agent vs
 * none vs a bare jetcd client doing the agent's work: first bind to key visible, process CPU in the first
 * 10 s, idle CPU per minute; see {@link StartupCostFigures}), exit, main, propagation, operator (status
 * records on vs off, the tool's put and status), jmh, outage, matrix (each framework application of the
 * compatibility matrix: launch to first answer, the key in etcd after it, SIGTERM to exit), packaged (the
 * same for Spring Boot's fat jars, Tomcat and WildFly with a WAR and Quarkus's fast-jar), wildfly (20
 * launches of WildFly on its default ports: the HTTP port registered every time, never the management port), spring (a put to Spring's {@code @Value} and
 * {@code @ConfigurationProperties} against a {@code @Dynamic} field, and the live application's start; see
 * {@link SpringFigures}), partition (10 runs of a 35 s minority partition), drop (packets to etcd dropped for 4 s), bigprefix,
 * classes (see {@link ConnectivityFigures}), fleet (what N agent JVMs started together cost etcd, per JVM:
 * watch streams, watchers, open gRPC streams, keep-alives and other requests per second, leases, etcd's
 * memory and CPU; see {@link FleetFigures});
 * {@code --consumers N} changes the 20 consumer JVMs of the propagation, discovery and operator figures,
 * {@code --fleet N} the 50 JVMs of the fleet figures.
 *
 * <p>Each part is a static method of a class named for its figures ({@link StartupFigures},
 * {@link ConnectivityFigures}, ...) that measures them and adds their rows to the {@link Table}; the
 * method {@code parts} names the parts, in the order of a full run.
 */
public final class Benchmark {

    /** One part of the benchmark, as {@code --only} names it. */
    private interface Part {
        void run() throws Exception;
    }

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int outageSeconds = 180;
        int consumerCount = 20;
        int fleetSize = 50;
        List<String> selected = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--skip-outage")) {
                skipped.add("outage");
            } else if (args[i].equals("--outage-seconds")) {
                outageSeconds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--consumers")) {
                consumerCount = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--fleet")) {
                fleetSize = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--only")) {
                selected.add(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (EtcdServer server = EtcdServer.start()) {
            Table table = new Table();
            Map<String, Part> parts = parts(table, new BenchEtcd(server), consumerCount, outageSeconds,
                    fleetSize);
            if (selected.isEmpty()) {
                selected.addAll(parts.keySet());
            }
            selected.removeAll(skipped);
            for (String name : selected) {
                Part part = parts.get(name);
                if (part == null) {
                    throw new IllegalArgumentException("unknown part " + name);
                }
                part.run();
            }
            table.print();
        }
        System.exit(0);
    }

    /** Every part by its name, in the order a run without {@code --only} takes them. */
    private static Map<String, Part> parts(Table table, BenchEtcd etcd, int consumerCount, int outageSeconds,
                                           int fleetSize) {
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put("jar", () -> StartupFigures.jarSize(table));
        parts.put("hello", () -> StartupFigures.helloWorld(table, etcd));
        parts.put("registration", () -> RegistrationFigures.costAndKeyTimes(table, etcd));
        parts.put("cost", () -> {
            StartupCostFigures.bindToKeyAndFirstCpu(table, etcd);
            StartupCostFigures.idleCpuPerMinute(table, etcd);
        });
        parts.put("exit", () -> ExitFigures.exitTimes(table, etcd));
        parts.put("main", () -> StartupFigures.startToMainReadingEtcd(table, etcd));
        parts.put("propagation", () -> PropagationFigures.putToFieldAndDiscovery(table, etcd, consumerCount));
        parts.put("operator", () -> {
            OperatorFigures.statusRecordsOnVsOff(table, etcd, consumerCount);
            OperatorFigures.toolPutAndStatus(table, etcd, consumerCount);
        });
        parts.put("fleet", () -> FleetFigures.perJvmCosts(table, etcd, fleetSize));
        parts.put("jmh", () -> ReadCostFigures.fieldReadAndGetProperty(table, etcd));
        parts.put("outage", () -> EtcdOutageFigure.recoveryAfter(table, etcd, outageSeconds));
        parts.put("matrix", () -> FrameworkStartupFigures.startAndExit(table, etcd, MatrixApps.all()));
        parts.put("packaged", () -> FrameworkStartupFigures.startAndExit(table, etcd, PackagedApps.all()));
        parts.put("wildfly", () -> FrameworkStartupFigures.wildFlyPortChoice(table, etcd, 20));
        parts.put("spring", () -> SpringFigures.putToBeansAndStart(table, etcd));
        parts.put("partition", () -> ConnectivityFigures.minorityPartition(table));
        parts.put("drop", () -> ConnectivityFigures.shortPartition(table));
        parts.put("bigprefix", () -> ConnectivityFigures.bigPrefixRestart(table));
        parts.put("classes", () -> ConnectivityFigures.classesWhileFrozen(table));
        return parts;
    }
}
