package dev.etcdagent.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.it.apps.GracefulServer;
import dev.etcdagent.it.apps.HelloWorld;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import dev.etcdagent.it.launch.FreePorts;
import dev.etcdagent.it.launch.KeyEvents;
import dev.etcdagent.it.matrix.MatrixApps;
import dev.etcdagent.it.matrix.MatrixCase;
import dev.etcdagent.it.matrix.PackagedApps;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The project's benchmark: every figure of docs/benchmarks.md (the README shows a selection),
 * measured on real etcd and real JVMs (JMH for in-process costs), with and without the agent in
 * the same run, medians of
 * {@value #RUNS} runs or more. Prints the table in Markdown and writes it to target/benchmark.md.
 *
 * <p>Options: {@code --outage-seconds N} (default 180), {@code --skip-outage}, and {@code --only NAME}
 * (repeatable) to run some parts: jar, hello, registration, exit, main, propagation, operator (status
 * records on vs off, the tool's put and status), jmh, outage, matrix (each framework application of the
 * compatibility matrix: launch to first answer, SIGTERM to exit), packaged (the same for Spring Boot's
 * fat jars, Tomcat with a WAR and Quarkus's fast-jar),
 * partition (10 runs of a 35 s minority partition), drop (packets to etcd dropped for 4 s), bigprefix,
 * classes (see {@link ConnectivityFigures});
 * {@code --consumers N} changes the 20 consumer JVMs of the propagation and discovery figures.
 */
public final class Benchmark {

    private static final int RUNS = 5;
    /** USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on every Linux architecture Java runs on. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;
    private static int consumerCount = 20;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final EtcdServer etcd;
    private final Etcdctl etcdctl;
    private final Gateway gateway;
    private final List<String[]> rows = new ArrayList<>();

    private Benchmark(EtcdServer etcd) {
        this.etcd = etcd;
        this.etcdctl = Etcdctl.forServer(etcd);
        this.gateway = new Gateway(etcd.endpoint());
    }

    public static void main(String[] args) throws Exception {
        int outageSeconds = 180;
        List<String> parts = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--skip-outage")) {
                skipped.add("outage");
            } else if (args[i].equals("--outage-seconds")) {
                outageSeconds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--consumers")) {
                consumerCount = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--only")) {
                parts.add(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (parts.isEmpty()) {
            parts.addAll(List.of("jar", "hello", "registration", "exit", "main", "propagation", "operator", "jmh",
                    "outage", "matrix", "packaged", "partition", "drop", "bigprefix", "classes"));
        }
        parts.removeAll(skipped);
        try (EtcdServer etcd = EtcdServer.start()) {
            Benchmark benchmark = new Benchmark(etcd);
            for (String part : parts) {
                benchmark.run(part, outageSeconds);
            }
            benchmark.print();
        }
        System.exit(0);
    }

    private void run(String part, int outageSeconds) throws Exception {
        switch (part) {
            case "jar":
                jarSize();
                break;
            case "hello":
                helloWorld();
                break;
            case "registration":
                registration();
                break;
            case "exit":
                exitTimes();
                break;
            case "main":
                mainReadsEtcdValue();
                break;
            case "propagation":
                propagationAndDiscovery();
                break;
            case "operator":
                operator();
                break;
            case "jmh":
                jmh();
                break;
            case "outage":
                outage(outageSeconds);
                break;
            case "matrix":
                for (MatrixCase app : MatrixApps.all()) {
                    matrixCase(app);
                }
                break;
            case "packaged":
                for (MatrixCase app : PackagedApps.all()) {
                    matrixCase(app);
                }
                break;
            case "partition":
                new ConnectivityFigures(this::row).minorityPartition();
                break;
            case "drop":
                new ConnectivityFigures(this::row).shortPartition();
                break;
            case "bigprefix":
                new ConnectivityFigures(this::row).bigPrefixRestart();
                break;
            case "classes":
                new ConnectivityFigures(this::row).classesWhileFrozen();
                break;
            default:
                throw new IllegalArgumentException("unknown part " + part);
        }
    }

    private void row(String figure, String target, String measured, String note) {
        rows.add(new String[] {figure, target, measured, note});
        System.err.println("measured: " + figure + " = " + measured + " " + note);
    }

    private void jarSize() throws IOException {
        double mb = Files.size(AgentJvm.agentJar()) / 1_000_000.0;
        row("agent jar size", "≤ 16 MB", format(mb, 1) + " MB", "");
    }

    private String agent(String service, String more) {
        return "service=" + service + ",endpoints=" + etcd.endpoint() + ",host=127.0.0.1,snapshot=off" + more;
    }

    private void helloWorld() {
        List<Double> none = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < RUNS + 2; i++) {
            none.add(wallMillis(AgentJvm.withoutAgent().main(HelloWorld.class)));
            with.add(wallMillis(AgentJvm.withAgent(agent("/service/bench-hello", "")).main(HelloWorld.class)));
        }
        row("hello-world wall time, agent vs none", "≤ +100 ms",
                "+" + format(Stats.median(with) - Stats.median(none), 0) + " ms",
                "(" + format(Stats.median(with), 0) + " vs " + format(Stats.median(none), 0) + " ms, median of "
                        + with.size() + ")");
    }

    private static double wallMillis(AgentJvm.Builder builder) {
        try (AgentJvm jvm = builder.start()) {
            jvm.waitForExit(WAIT);
            return (System.nanoTime() - jvm.startNanos()) / 1e6;
        }
    }

    private void registration() throws Exception {
        String service = "/service/bench-reg";
        List<Double> startToKey = new ArrayList<>();
        List<Double> sigtermToGone = new ArrayList<>();
        List<Double> killToGone = new ArrayList<>();
        List<Double> revokeToBack = new ArrayList<>();
        List<Double> rssWith = new ArrayList<>();
        List<Double> rssWithout = new ArrayList<>();
        List<Double> cpuWith = new ArrayList<>();
        List<Double> cpuWithout = new ArrayList<>();
        List<Double> threadsAdded = new ArrayList<>();
        try (KeyEvents events = new KeyEvents(etcd.endpoint(), service + "/")) {
            Thread.sleep(500);
            for (int i = 0; i < RUNS; i++) {
                try (AgentJvm plain = AgentJvm.withoutAgent().main(BenchProvider.class).start()) {
                    plain.stdout().await("LISTENING (\\d+)", WAIT);
                    Thread.sleep(2000);
                    rssWithout.add(status(plain.pid(), "VmRSS") / 1024.0);
                    cpuWithout.add(cpuMillis(plain.pid()));
                    double plainThreads = status(plain.pid(), "Threads");
                    try (AgentJvm jvm = AgentJvm.withAgent(agent(service, ",ttl=2")).main(BenchProvider.class).start()) {
                        long put = events.await("PUT", service + "/", jvm.startNanos(), WAIT);
                        startToKey.add((put - jvm.startNanos()) / 1e6);
                        Thread.sleep(2000);
                        rssWith.add(status(jvm.pid(), "VmRSS") / 1024.0);
                        cpuWith.add(cpuMillis(jvm.pid()));
                        threadsAdded.add(status(jvm.pid(), "Threads") - plainThreads);
                        String key = etcdctl.getPrefix(service + "/").keySet().iterator().next();
                        long revoke = System.nanoTime();
                        etcdctl.leaseRevoke(etcdctl.leaseOf(key));
                        revokeToBack.add((events.await("PUT", key, revoke, WAIT) - revoke) / 1e6);
                        long term = System.nanoTime();
                        jvm.sigterm();
                        sigtermToGone.add((events.await("DELETE", service + "/", term, WAIT) - term) / 1e6);
                    }
                }
                try (AgentJvm jvm = AgentJvm.withAgent(agent(service, ",ttl=2")).main(BenchProvider.class).start()) {
                    events.await("PUT", service + "/", jvm.startNanos(), WAIT);
                    long kill = System.nanoTime();
                    jvm.kill9();
                    killToGone.add((events.await("DELETE", service + "/", kill, WAIT) - kill) / 1e6);
                }
            }
        }
        row("resident memory once connected and registered", "≤ +48 MB",
                "+" + format(Stats.median(rssWith) - Stats.median(rssWithout), 0) + " MB",
                "(" + format(Stats.median(rssWith), 0) + " vs " + format(Stats.median(rssWithout), 0) + " MB RSS)");
        row("agent CPU time to connect and register", "≤ 0.45 s",
                format((Stats.median(cpuWith) - Stats.median(cpuWithout)) / 1000, 2) + " s",
                "(" + format(Stats.median(cpuWith), 0) + " vs " + format(Stats.median(cpuWithout), 0)
                        + " ms of process CPU, 2 s after the key appeared)");
        row("threads added", "≤ 6", format(Stats.median(threadsAdded), 0), "");
        row("JVM start to key visible in etcd", "≤ 1 s", format(Stats.median(startToKey), 0) + " ms", "");
        row("SIGTERM to key gone", "≤ 100 ms", format(Stats.median(sigtermToGone), 0) + " ms", "");
        row("`kill -9` to key gone, ttl=2", "≤ 3 s", format(Stats.median(killToGone), 0) + " ms", "");
        row("lease revoked by an operator to key back", "≤ 1 s", format(Stats.median(revokeToBack), 0) + " ms",
                "(from etcdctl lease revoke starting)");
    }

    /**
     * JVM exit, agent vs none: SIGTERM to process gone, and {@code main} returning to process gone, of
     * a server whose own shutdown hook closes its socket (as real servers do, so that none of its
     * threads is left in native code, where HotSpot would wait for it up to 300 ms at exit).
     */
    private void exitTimes() throws Exception {
        String service = "/service/bench-exit";
        String noService = "endpoints=" + etcd.endpoint() + ",snapshot=off";
        Map<String, List<Double>> sigterm = new HashMap<>();
        Map<String, List<Double>> returning = new HashMap<>();
        for (int i = 0; i < RUNS + 2; i++) {
            for (boolean term : new boolean[] {true, false}) {
                Map<String, List<Double>> figures = term ? sigterm : returning;
                figures.computeIfAbsent("none", k -> new ArrayList<>())
                        .add(exitMillis(AgentJvm.withoutAgent(), null, term));
                figures.computeIfAbsent("service", k -> new ArrayList<>())
                        .add(exitMillis(AgentJvm.withAgent(agent(service, ",ttl=2")), "INFO registered ", term));
                figures.computeIfAbsent("no service", k -> new ArrayList<>())
                        .add(exitMillis(AgentJvm.withAgent(noService), "INFO connected to etcd", term));
            }
        }
        exitRow("SIGTERM to process gone", sigterm);
        exitRow("`main` returning to process gone", returning);
    }

    private void exitRow(String what, Map<String, List<Double>> figures) {
        double none = Stats.median(figures.get("none"));
        double service = Stats.median(figures.get("service"));
        double noService = Stats.median(figures.get("no service"));
        row(what + ", agent vs none, with / without `service`", "≤ +50 ms",
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
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("return\n".getBytes(StandardCharsets.UTF_8));
                socket.getInputStream().read();
            }
            long returned = Long.parseLong(jvm.stdout().await("RETURNING (\\d+)", WAIT));
            jvm.waitForExit(WAIT);
            return (GracefulServer.micros() - returned) / 1000.0;
        }
    }

    /** User plus system CPU time of a whole process, every thread (JIT and GC included), from /proc/PID/stat. */
    private static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
        // Fields after the command name, which is in parentheses and may hold spaces: utime is the 14th field.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double ticks = Double.parseDouble(fields[11]) + Double.parseDouble(fields[12]);
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    private static double status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Double.parseDouble(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    private void mainReadsEtcdValue() throws Exception {
        String service = "/service/bench-main";
        etcdctl.put("/config" + service + "/bench.value", "42");
        List<Double> none = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < RUNS + 2; i++) {
            none.add(startToMain(AgentJvm.withoutAgent(), "-1"));
            with.add(startToMain(AgentJvm.withAgent(agent(service, "")), "42"));
        }
        row("JVM start to `main` reading etcd's value, agent vs none", "≤ +300 ms",
                "+" + format(Stats.median(with) - Stats.median(none), 0) + " ms",
                "(" + format(Stats.median(with), 0) + " vs " + format(Stats.median(none), 0) + " ms)");
    }

    private static double startToMain(AgentJvm.Builder builder, String expected) {
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

    private void propagationAndDiscovery() throws Exception {
        String service = "/service/bench-consumer";
        String key = "/config" + service + "/bench.value";
        etcdctl.put(key, "0");
        List<AgentJvm> consumers = new ArrayList<>();
        try {
            for (int i = 0; i < consumerCount; i++) {
                consumers.add(startConsumer(agent(service, ",ttl=10")));
            }
            // Twenty JVMs starting at once on two cores take seconds to connect: measure once all watch.
            awaitConsumers(consumers);
            Thread.sleep(3000);
            List<Double> latencies = new ArrayList<>();
            int puts = 20;
            // Two warm-up puts first (not counted): the first change a JVM applies runs cold code.
            int warmUp = 2;
            Map<Integer, Long> putMicros = putInTurn(key, puts);
            latencies.addAll(latencies(consumers, puts, putMicros));
            row("`put` to field changed, " + consumerCount + " JVMs, p50 / p99", "p99 ≤ 50 ms",
                    format(Stats.median(latencies), 1) + " / " + format(Stats.percentile(latencies, 99), 1) + " ms",
                    "(" + latencies.size() + " samples, after " + warmUp + " warm-up puts; 1 ms polling)");

            List<Double> seen = new ArrayList<>();
            List<Double> removed = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                int[] marks = new int[consumers.size()];
                for (int i = 0; i < consumers.size(); i++) {
                    marks[i] = consumers.get(i).stdout().mark();
                }
                try (AgentJvm provider = AgentJvm.withAgent(agent("/service/bench-provider", ",ttl=2"))
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
            row("new instance listening to seen by " + consumerCount + " consumer JVMs, p99", "≤ 1 s",
                    format(Stats.percentile(seen, 99), 0) + " ms", "(p50 " + format(Stats.median(seen), 0) + " ms)");
            row("`kill -9` of an instance to removed from consumers, ttl=2", "≤ 3 s",
                    format(Stats.median(removed), 0) + " ms", "(p99 " + format(Stats.percentile(removed, 99), 0) + " ms)");
        } finally {
            for (AgentJvm consumer : consumers) {
                consumer.close();
            }
        }
    }

    /**
     * The status records' cost and the operator's tool. First {@code consumerCount} consumer JVMs of one
     * service, half with status records (the default) and half with {@code status=off}: every put
     * reaches both halves at the same moment under the same load, so their put→field times compare the
     * agent with and without records. Then as many JVMs with records: the tool's {@code put} waits on
     * them and reports how long every instance took to confirm, and {@code status} lists them.
     */
    private void operator() throws Exception {
        String mixed = "/service/bench-status-mixed";
        etcdctl.put("/config" + mixed + "/bench.value", "0");
        List<AgentJvm> withRecords = new ArrayList<>();
        List<AgentJvm> withoutRecords = new ArrayList<>();
        try {
            for (int i = 0; i < consumerCount; i++) {
                String status = i % 2 == 0 ? "" : ",status=off";
                AgentJvm consumer = startConsumer(agent(mixed, ",ttl=10" + status));
                (status.isEmpty() ? withRecords : withoutRecords).add(consumer);
            }
            awaitConsumers(withRecords);
            awaitConsumers(withoutRecords);
            org.awaitility.Awaitility.await().atMost(WAIT).until(
                    () -> etcdctl.getPrefix("/etcd-agent/status" + mixed + "/").size() == withRecords.size());
            Thread.sleep(3000);
            int puts = 40;
            Map<Integer, Long> putMicros = putInTurn("/config" + mixed + "/bench.value", puts);
            List<Double> latencyOn = latencies(withRecords, puts, putMicros);
            List<Double> latencyOff = latencies(withoutRecords, puts, putMicros);
            double p99On = Stats.percentile(latencyOn, 99);
            double p99Off = Stats.percentile(latencyOff, 99);
            row("`put` to field changed p99, status records on vs `status=off`", "ratio ≤ 1.05",
                    format(p99On / p99Off, 2), "(" + format(p99On, 1) + " vs " + format(p99Off, 1) + " ms; p50 "
                            + format(Stats.median(latencyOn), 1) + " vs " + format(Stats.median(latencyOff), 1)
                            + " ms; " + withRecords.size() + " + " + withoutRecords.size() + " JVMs of one service, "
                            + puts + " puts, " + latencyOn.size() + " samples each)");
        } finally {
            closeAll(withRecords);
            closeAll(withoutRecords);
        }

        String service = "/service/bench-status";
        etcdctl.put("/config" + service + "/bench.value", "0");
        List<AgentJvm> consumers = new ArrayList<>();
        try {
            for (int i = 0; i < consumerCount; i++) {
                consumers.add(startConsumer(agent(service, ",ttl=10")));
            }
            awaitConsumers(consumers);
            org.awaitility.Awaitility.await().atMost(WAIT).until(
                    () -> etcdctl.getPrefix("/etcd-agent/status" + service + "/").size() == consumerCount);
            Thread.sleep(3000);
            AgentTool tool = AgentTool.forEndpoints(etcd.endpoint());
            List<Double> confirmed = new ArrayList<>();
            java.util.regex.Pattern summary = java.util.regex.Pattern.compile(
                    "applied by all " + consumerCount + " instances in (\\d+) ms");
            for (int value = 1; value <= 20; value++) {
                AgentTool.Result put = tool.run("put", service, "bench.value", Integer.toString(value));
                java.util.regex.Matcher all = summary.matcher(put.stdout);
                if (put.exitStatus != 0 || !all.find()) {
                    throw new IllegalStateException("the tool's put was not confirmed by every instance: " + put);
                }
                confirmed.add(Double.parseDouble(all.group(1)));
            }
            row("`put` confirmed by every one of " + consumerCount + " JVMs (the command's own report), p50 / p99",
                    "≤ put→field p99 + 50 ms", format(Stats.median(confirmed), 0) + " / "
                            + format(Stats.percentile(confirmed, 99), 0) + " ms",
                    "(" + confirmed.size() + " runs of `put`, from etcd's answer to the last record confirming)");

            List<Double> statusMillis = new ArrayList<>();
            List<Double> etcdctlMillis = new ArrayList<>();
            for (int run = 0; run < RUNS + 2; run++) {
                AgentTool.Result status = tool.run("status", service);
                if (status.exitStatus != 0 || !status.stdout.contains(consumerCount + " live instances")) {
                    throw new IllegalStateException("status did not list every instance: " + status);
                }
                statusMillis.add((double) status.millis);
                long start = System.nanoTime();
                etcdctl.getPrefix("/etcd-agent/status" + service + "/");
                etcdctlMillis.add((System.nanoTime() - start) / 1e6);
            }
            row("`status` for a service of " + consumerCount + " instances, command wall time", "≤ 0.5 s",
                    format(Stats.median(statusMillis), 0) + " ms", "(etcdctl get --prefix of the records: "
                            + format(Stats.median(etcdctlMillis), 0) + " ms; medians of " + statusMillis.size() + ")");
        } finally {
            closeAll(consumers);
        }
    }

    private AgentJvm startConsumer(String agentArgs) {
        return AgentJvm.withAgent(agentArgs).main(BenchConsumer.class).start();
    }

    /** Until every consumer is connected and has the value 0 (read before main, or just after). */
    private static void awaitConsumers(List<AgentJvm> consumers) {
        for (AgentJvm consumer : consumers) {
            consumer.stdout().await("^(MAIN \\d+ 0$|V 0 )", WAIT);
            consumer.stderr().await("connected to etcd", WAIT);
        }
    }

    /** Puts -2, -1 (warm-up, not counted), then 1..{@code puts}, 150 ms apart; returns when each was sent. */
    private Map<Integer, Long> putInTurn(String key, int puts) throws Exception {
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

    private static void closeAll(List<AgentJvm> jvms) {
        for (AgentJvm jvm : jvms) {
            jvm.close();
        }
    }

    /** Each consumer's {@code V value micros} lines for values 1..{@code puts}, against when each was put. */
    private static List<Double> latencies(List<AgentJvm> consumers, int puts, Map<Integer, Long> putMicros) {
        List<Double> latencies = new ArrayList<>();
        for (AgentJvm consumer : consumers) {
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

    private void jmh() throws RunnerException {
        String jar = AgentJvm.agentJar().toString();
        String service = "/service/bench-jmh";
        // Keys in the prefix: the property overlay is not empty, as in production.
        etcdctl.put("/config" + service + "/feature.a", "1");
        etcdctl.put("/config" + service + "/feature.b", "2");
        String agentArg = "-javaagent:" + jar + "=" + agent(service, "");
        Map<String, Double> field = runJmh(FieldReadBenchmark.class, agentArg);
        double dynamic = field.get("dynamicFieldRead");
        double plain = field.get("volatileFieldRead");
        row("`@Dynamic` field read vs a plain `volatile` static read (JMH)", "ratio ≤ 1.05",
                format(dynamic / plain, 2), "(" + format(dynamic, 2) + " vs " + format(plain, 2) + " ns/op)");
        double with = runJmh(PropertyBenchmark.class, agentArg).get("getPropertyNotInEtcd");
        double none = runJmh(PropertyBenchmark.class, null).get("getPropertyNotInEtcd");
        row("`System.getProperty`, key not in etcd, agent vs none (JMH)", "ratio ≤ 1.5", format(with / none, 2),
                "(" + format(with, 1) + " vs " + format(none, 1) + " ns/op)");
    }

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

    private void outage(int seconds) throws Exception {
        String service = "/service/bench-outage";
        List<AgentJvm> jvms = new ArrayList<>();
        try {
            for (int i = 0; i < RUNS; i++) {
                jvms.add(AgentJvm.withAgent(agent(service, ",ttl=2")).main(BenchProvider.class).start());
            }
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> gateway.keys(service + "/").size() == RUNS);
            System.err.println("outage: etcd stopped for " + seconds + " s");
            etcd.stop();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < until) {
                Thread.sleep(1000);
            }
            etcd.startAgain();
            etcd.awaitHealthy();
            long backMicros = BenchConsumer.micros();
            long backNanos = System.nanoTime();
            // etcd restores leases with a fresh TTL, so the keys are back at once whether or not an agent
            // lives: what counts is each agent keeping its lease again, which its log line tells.
            List<Double> recovered = new ArrayList<>();
            for (AgentJvm jvm : jvms) {
                String line = jvm.stderr().await("^(\\[etcd-agent\\] \\S+ INFO reconnected to etcd.*)$", WAIT);
                long at = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(line.split(" ")[1]));
                recovered.add(Math.max(0, at - backMicros) / 1000.0);
            }
            // Several TTLs later every key is still there: every lease is kept alive again.
            while (System.nanoTime() - backNanos < TimeUnit.SECONDS.toNanos(6)) {
                Thread.sleep(100);
            }
            int present = gateway.keys(service + "/").size();
            if (present != RUNS) {
                throw new IllegalStateException(present + " of " + RUNS + " keys present 6 s after etcd came back");
            }
            row("etcd back after a " + seconds + " s outage to registration kept alive again", "≤ 5 s",
                    format(Stats.median(recovered) / 1000, 2) + " s",
                    "(max " + format(Stats.percentile(recovered, 100) / 1000, 2) + " s over " + recovered.size()
                            + " JVMs; all keys present " + (RUNS == present ? "6 s later" : "?") + ")");
        } finally {
            for (AgentJvm jvm : jvms) {
                jvm.close();
            }
        }
    }

    /** A framework application's start-up and exit cost: launch to first answer, SIGTERM to exit, agent vs none. */
    private void matrixCase(MatrixCase app) {
        List<Double> answerNone = new ArrayList<>();
        List<Double> answerWith = new ArrayList<>();
        List<Double> exitNone = new ArrayList<>();
        List<Double> exitWith = new ArrayList<>();
        try {
            for (int i = 0; i < RUNS; i++) {
                startAndStop(app, null, answerNone, exitNone);
                startAndStop(app, agent("/service/bench-matrix", ",ttl=10"), answerWith, exitWith);
            }
        } catch (RuntimeException e) {
            row(app.name() + ": launch to first answer, agent vs none", "≤ +100 ms", "not measured", "(" + e.getMessage() + ")");
            return;
        }
        row(app.name() + ": launch to first answer, agent vs none", "≤ +100 ms",
                signed(Stats.median(answerWith) - Stats.median(answerNone)) + " ms",
                "(" + format(Stats.median(answerWith), 0) + " vs " + format(Stats.median(answerNone), 0) + " ms)");
        row(app.name() + ": SIGTERM to exit, agent vs none", "no delay",
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

    private void print() throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("Measured ").append(LocalDate.now(ZoneId.systemDefault())).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(", etcd ").append(etcdVersion()).append(".\n\n");
        table.append("| figure | target | measured | notes |\n|---|---|---|---|\n");
        for (String[] row : rows) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        System.out.println(table);
        Path out = Paths.get("integration-tests", "target", "benchmark.md");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, table.toString(), StandardCharsets.UTF_8);
        }
    }

    private String etcdVersion() {
        try {
            Process process = new ProcessBuilder("/usr/bin/etcd", "--version").start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().findFirst().orElse("?").replace("etcd Version: ", "");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String signed(double value) {
        return String.format(Locale.ROOT, "%+.0f", value);
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
