package dev.etcdagent.it.bench;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.etcdagent.it.launch.AgentJvm;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.Table.format;

/**
 * What JVMs with the agent cost etcd, per JVM, for sizing a cluster: N {@link BenchInstance} JVMs (each
 * registers, follows its configuration prefix and one other service) started together; etcd's Prometheus
 * metrics scraped before any of them runs, {@link #SETTLE} after the last one logged {@code connected to
 * etcd}, and {@link #WINDOW} later. A state (watch streams, watchers, open gRPC streams, etcd's resident
 * memory) is the change from the scrape before to the last, divided by N; a rate (keep-alives, other
 * requests, traffic) is the change over the window, while the JVMs idle, per second and JVM. etcd's CPU
 * is its rate over the window less its rate with no JVM ({@link #IDLE_ETCD} before the fleet), per JVM.
 * etcd has no gauge of its leases: they are counted through the JSON gateway. The agent runs with its defaults
 * ({@code ttl} 10, status record on) but for the benchmark's loopback host and no snapshot file.
 */
final class FleetFigures {

    static final String SERVICE = "/service/bench-fleet";
    /** The service every instance discovers; one address is put there, as a backend's registration would be. */
    static final String BACKEND = "/service/bench-fleet-backend";
    /**
     * After the last JVM connected: its session has read and watched its ranges and taken over the lease by
     * then (a few calls, within a second), and its status record, written at most every 100 ms, is in.
     */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    /** The rates' window, while every JVM idles. */
    private static final Duration WINDOW = Duration.ofSeconds(60);
    /** etcd's own CPU with no JVM is measured over this: a raft member ticks and syncs, clients or not. */
    private static final Duration IDLE_ETCD = Duration.ofSeconds(30);
    /**
     * A JVM's gRPC session is up: {@code connected to etcd}, also when the session's first check went
     * unanswered in time (N agents building their sessions at once on two cores) and a second client
     * was built ({@link #SECOND_CLIENT}).
     */
    private static final String SESSION_UP = "connected to etcd";
    private static final String SECOND_CLIENT = "new etcd client over";
    /** How long each agent's start may take on top of {@link BenchJvms#WAIT}: ~2 s of CPU each, N share the cores. */
    private static final Duration START_PER_JVM = Duration.ofSeconds(2);

    private static final String WATCH_STREAMS = "etcd_debugging_mvcc_watch_stream_total";
    private static final String WATCHERS = "etcd_debugging_mvcc_watcher_total";
    private static final String STARTED = "grpc_server_started_total";
    private static final String HANDLED = "grpc_server_handled_total";
    private static final String RECEIVED = "grpc_server_msg_received_total";
    private static final String RESIDENT = "process_resident_memory_bytes";
    private static final String CPU = "process_cpu_seconds_total";
    private static final String BYTES_IN = "etcd_network_client_grpc_received_bytes_total";
    private static final String BYTES_OUT = "etcd_network_client_grpc_sent_bytes_total";
    private static final Map<String, String> WATCH = Map.of("grpc_method", "Watch");
    private static final Map<String, String> KEEP_ALIVE = Map.of("grpc_method", "LeaseKeepAlive");
    /** The requests an idle JVM could send besides its keep-alives, named in the note even when none came. */
    private static final List<String> NAMED_REQUESTS = List.of("Range", "Put", "Txn", "DeleteRange");

    private FleetFigures() {
    }

    static void perJvmCosts(Table table, BenchEtcd etcd, int count) throws Exception {
        Gateway gateway = etcd.gateway();
        gateway.put("/config" + SERVICE + "/bench.value", "42");
        gateway.put(BACKEND + "/10.0.0.1:8080", "10.0.0.1:8080");
        // Leases of an earlier part's killed JVMs may still be there, and expire meanwhile: counted by id.
        Set<String> leasesBefore = gateway.leases();
        PrometheusText idle = PrometheusText.scrape(etcd.endpoint());
        Thread.sleep(IDLE_ETCD.toMillis());
        PrometheusText before = PrometheusText.scrape(etcd.endpoint());
        double idleCpu = (before.sum(CPU) - idle.sum(CPU)) / IDLE_ETCD.toSeconds();
        List<AgentJvm> jvms = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                jvms.add(AgentJvm.withAgent(etcd.agentArgs(SERVICE, "")).main(BenchInstance.class).start());
            }
            Duration startWait = WAIT.plus(START_PER_JVM.multipliedBy(count));
            for (AgentJvm jvm : jvms) {
                jvm.stderr().await(SESSION_UP, startWait);
            }
            long secondAttempts = jvms.stream().filter(jvm -> jvm.stderr().contains(SECOND_CLIENT)).count();
            Thread.sleep(SETTLE.toMillis());
            // A live JVM must never lose its registration, however starved the host is while they all start.
            long leasesLost = jvms.stream().filter(jvm -> jvm.stderr().contains("expired or was revoked")).count();
            String conditions = "load " + Files.readString(Paths.get("/proc/loadavg")).split(" ", -1)[0]
                    + "; leases lost while starting: " + leasesLost + " of " + count
                    + (secondAttempts == 0 ? "" : "; " + secondAttempts + " of " + count
                    + " sessions up only with a second client, `" + SECOND_CLIENT + "`");
            PrometheusText settled = PrometheusText.scrape(etcd.endpoint());
            long settledNanos = System.nanoTime();
            Thread.sleep(WINDOW.toMillis());
            PrometheusText later = PrometheusText.scrape(etcd.endpoint());
            double seconds = (System.nanoTime() - settledNanos) / 1e9;
            // After the scrapes: the benchmark's own calls (through the gateway, so gRPC calls too) stay out of them.
            int registered = gateway.keys(SERVICE + "/").size();
            if (registered != count) {
                throw new IllegalStateException(registered + " of " + count + " instances registered at the end");
            }
            Set<String> leases = new HashSet<>(gateway.leases());
            leases.removeAll(leasesBefore);
            new Figures(count, before, settled, later, seconds).addRows(table, leases.size(), idleCpu, conditions);
        } finally {
            BenchJvms.stopAll(jvms);
        }
    }

    /** The three scrapes, and each figure per JVM taken from them. */
    private static final class Figures {
        private final int count;
        private final PrometheusText before;
        private final PrometheusText settled;
        private final PrometheusText later;
        private final double seconds;

        Figures(int count, PrometheusText before, PrometheusText settled, PrometheusText later, double seconds) {
            this.count = count;
            this.before = before;
            this.settled = settled;
            this.later = later;
            this.seconds = seconds;
        }

        /**
         * @param idleCpu    etcd's CPU per second with no JVM
         * @param conditions the machine's load and how the sessions started, for the first row's note
         */
        void addRows(Table table, int leases, double idleCpu, String conditions) {
            String fleet = "(" + count + " JVMs";
            table.row("gRPC requests per JVM to start: unary / streams", "—",
                    format(started(Map.of("grpc_type", "unary")), 1) + " / "
                            + format(started(Map.of()) - started(Map.of("grpc_type", "unary")), 1),
                    fleet + ": from before launch to " + SETTLE.toSeconds() + " s after the last connected, per JVM "
                            + startedByMethod() + "; JSON gateway calls are gRPC calls of etcd's own; " + STARTED + ")");
            table.row("etcd watch streams per JVM", "—", format(perJvm(WATCH_STREAMS), 2),
                    fleet + ": " + states(WATCH_STREAMS) + "; " + WATCH_STREAMS + "; " + conditions
                            + "; `--only fleet`)");
            table.row("etcd watchers per JVM", "—", format(perJvm(WATCHERS), 2),
                    fleet + ": " + states(WATCHERS) + "; " + WATCHERS + ")");
            double watch = openPerJvm(WATCH);
            double keepAlive = openPerJvm(KEEP_ALIVE);
            double all = openPerJvm(Map.of());
            table.row("open gRPC streams per JVM: Watch / LeaseKeepAlive / all methods", "—",
                    format(watch, 2) + " / " + format(keepAlive, 2) + " / " + format(all, 2),
                    fleet + ": " + format(watch * count, 0) + " / " + format(keepAlive * count, 0) + " / "
                            + format(all * count, 0) + " in all; " + STARTED + " − " + HANDLED + ")");
            table.row("lease keep-alive messages per second per JVM", "—", format(rate(RECEIVED, KEEP_ALIVE), 2),
                    fleet + ": " + format(rate(RECEIVED, KEEP_ALIVE) * count, 2) + "/s in all over "
                            + format(seconds, 0) + " s idle; LeaseKeepAlive streams opened "
                            + format(rate(STARTED, KEEP_ALIVE), 2) + "/s per JVM; " + RECEIVED + ")");
            double other = rate(STARTED, Map.of("grpc_type", "unary"));
            table.row("other gRPC requests per second per JVM, idle", "—", format(other, 3),
                    fleet + ": " + format(other * count, 3) + "/s in all; per JVM " + requestsByMethod()
                            + "; unary " + STARTED + " over " + format(seconds, 0) + " s)");
            table.row("leases held per JVM", "—", format((double) leases / count, 2),
                    fleet + ": " + leases + " leases more than before, from the JSON gateway's /v3/lease/leases)");
            double residentBefore = before.sum(RESIDENT) / 1e6;
            double residentLater = later.sum(RESIDENT) / 1e6;
            table.row("etcd resident memory per JVM", "—", format((residentLater - residentBefore) / count, 2) + " MB",
                    fleet + ": " + format(residentBefore, 0) + " → " + format(residentLater, 0) + " MB; "
                            + RESIDENT + "; one Go heap, so noisy at small N)");
            double in = rate(BYTES_IN, Map.of());
            double out = rate(BYTES_OUT, Map.of());
            table.row("gRPC traffic per JVM, idle: received / sent", "—", format(in, 1) + " / " + format(out, 1) + " B/s",
                    fleet + ": " + format(in * count, 0) + " / " + format(out * count, 0) + " B/s in all; " + BYTES_IN
                            + ", " + BYTES_OUT + ")");
            double fleetCpu = rate(CPU, Map.of()) * count * 60_000;
            double idleCpuPerMinute = idleCpu * 60_000;
            table.row("etcd CPU per JVM, idle", "—", format((fleetCpu - idleCpuPerMinute) / count, 1) + " ms/min",
                    fleet + ": " + format(fleetCpu, 0) + " ms of etcd CPU per minute with them, "
                            + format(idleCpuPerMinute, 0) + " without; " + CPU + ")");
        }

        /** The change of a metric from before the fleet to the last scrape, per JVM. */
        private double perJvm(String name) {
            return (later.sum(name) - before.sum(name)) / count;
        }

        /** The calls (unary) or streams started from before the fleet to the first scrape after it, per JVM. */
        private double started(Map<String, String> labels) {
            return (settled.sum(STARTED, labels) - before.sum(STARTED, labels)) / count;
        }

        /** Each method that was started at all from before the fleet to the first scrape after it, per JVM. */
        private String startedByMethod() {
            StringBuilder text = new StringBuilder();
            for (String method : settled.labelValues(STARTED, "grpc_method")) {
                double started = started(Map.of("grpc_method", method));
                if (started > 0) {
                    text.append(text.length() == 0 ? "" : ", ").append(method).append(' ').append(format(started, 1));
                }
            }
            return text.toString();
        }

        /** A state's change in all, at the first and second scrape after the fleet started. */
        private String states(String name) {
            double base = before.sum(name);
            return format(base, 0) + " before, +" + format(settled.sum(name) - base, 0) + " "
                    + SETTLE.toSeconds() + " s after the last connected, +" + format(later.sum(name) - base, 0) + " "
                    + WINDOW.toSeconds() + " s later";
        }

        /** Streams open at the last scrape beyond those open before the fleet, per JVM: a stream is handled once it ends. */
        private double openPerJvm(Map<String, String> labels) {
            return (open(later, labels) - open(before, labels)) / count;
        }

        private static double open(PrometheusText metrics, Map<String, String> labels) {
            return metrics.sum(STARTED, labels) - metrics.sum(HANDLED, labels);
        }

        /** A counter's change over the window, per second and JVM. */
        private double rate(String name, Map<String, String> labels) {
            return (later.sum(name, labels) - settled.sum(name, labels)) / seconds / count;
        }

        /** Each unary method's rate per JVM: the usual ones always, any other that was called. */
        private String requestsByMethod() {
            StringBuilder text = new StringBuilder();
            for (String method : later.labelValues(STARTED, "grpc_method")) {
                double rate = rate(STARTED, Map.of("grpc_method", method, "grpc_type", "unary"));
                if (NAMED_REQUESTS.contains(method) || rate > 0) {
                    text.append(text.length() == 0 ? "" : ", ").append(method).append(' ').append(format(rate, 3))
                            .append("/s");
                }
            }
            return text.toString();
        }
    }
}
