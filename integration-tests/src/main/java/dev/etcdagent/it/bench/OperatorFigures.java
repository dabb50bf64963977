package dev.etcdagent.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.Etcdctl;
import org.awaitility.Awaitility;

import static dev.etcdagent.it.bench.BenchJvms.WAIT;
import static dev.etcdagent.it.bench.Stats.RUNS;
import static dev.etcdagent.it.bench.Table.format;

/**
 * The status records' cost and the operator's tool, each on {@code consumerCount} consumer JVMs of
 * one service: their put→field times with records against {@code status=off}, then how long the
 * tool's {@code put} waits for every instance to confirm and how long {@code status} takes to list them.
 */
final class OperatorFigures {

    private OperatorFigures() {
    }

    /**
     * Half the JVMs with status records (the default) and half with {@code status=off}: every put
     * reaches both halves at the same moment under the same load, so their put→field times compare the
     * agent with and without records.
     */
    static void statusRecordsOnVsOff(Table table, BenchEtcd etcd, int consumerCount) throws Exception {
        String mixed = "/service/bench-status-mixed";
        String key = "/config" + mixed + "/bench.value";
        Etcdctl etcdctl = etcd.etcdctl();
        etcdctl.put(key, "0");
        try (ConsumerFleet withRecords = new ConsumerFleet(); ConsumerFleet withoutRecords = new ConsumerFleet()) {
            for (int i = 0; i < consumerCount; i++) {
                String status = i % 2 == 0 ? "" : ",status=off";
                (status.isEmpty() ? withRecords : withoutRecords).start(etcd.agentArgs(mixed, ",ttl=10" + status));
            }
            withRecords.awaitReady();
            withoutRecords.awaitReady();
            Awaitility.await().atMost(WAIT).until(
                    () -> etcdctl.getPrefix("/etcd-agent/status" + mixed + "/").size() == withRecords.size());
            Thread.sleep(3000);
            int puts = 40;
            Map<Integer, Long> putMicros = ConsumerFleet.putInTurn(etcd.gateway(), key, puts);
            List<Double> latencyOn = withRecords.latencies(puts, putMicros);
            List<Double> latencyOff = withoutRecords.latencies(puts, putMicros);
            double p99On = Stats.percentile(latencyOn, 99);
            double p99Off = Stats.percentile(latencyOff, 99);
            table.row("`put` to field changed p99, status records on vs `status=off`", "ratio ≤ 1.05",
                    format(p99On / p99Off, 2), "(" + format(p99On, 1) + " vs " + format(p99Off, 1) + " ms; p50 "
                            + format(Stats.median(latencyOn), 1) + " vs " + format(Stats.median(latencyOff), 1)
                            + " ms; " + withRecords.size() + " + " + withoutRecords.size() + " JVMs of one service, "
                            + puts + " puts, " + latencyOn.size() + " samples each)");
        }
    }

    /** The tool's {@code put} confirmed by every instance (its own report), and {@code status} against etcdctl. */
    static void toolPutAndStatus(Table table, BenchEtcd etcd, int consumerCount) throws Exception {
        String service = "/service/bench-status";
        Etcdctl etcdctl = etcd.etcdctl();
        etcdctl.put("/config" + service + "/bench.value", "0");
        try (ConsumerFleet consumers = new ConsumerFleet()) {
            for (int i = 0; i < consumerCount; i++) {
                consumers.start(etcd.agentArgs(service, ",ttl=10"));
            }
            consumers.awaitReady();
            Awaitility.await().atMost(WAIT).until(
                    () -> etcdctl.getPrefix("/etcd-agent/status" + service + "/").size() == consumerCount);
            Thread.sleep(3000);
            AgentTool tool = AgentTool.forEndpoints(etcd.endpoint());
            List<Double> confirmed = new ArrayList<>();
            Pattern summary = Pattern.compile("applied by all " + consumerCount + " instances in (\\d+) ms");
            for (int value = 1; value <= 20; value++) {
                AgentTool.Result put = tool.run("put", service, "bench.value", Integer.toString(value));
                Matcher all = summary.matcher(put.stdout);
                if (put.exitStatus != 0 || !all.find()) {
                    throw new IllegalStateException("the tool's put was not confirmed by every instance: " + put);
                }
                confirmed.add(Double.parseDouble(all.group(1)));
            }
            table.row("`put` confirmed by every one of " + consumerCount
                            + " JVMs (the command's own report), p50 / p99", "≤ put→field p99 + 50 ms",
                    format(Stats.median(confirmed), 0) + " / " + format(Stats.percentile(confirmed, 99), 0) + " ms",
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
            table.row("`status` for a service of " + consumerCount + " instances, command wall time", "≤ 0.5 s",
                    format(Stats.median(statusMillis), 0) + " ms", "(etcdctl get --prefix of the records: "
                            + format(Stats.median(etcdctlMillis), 0) + " ms; medians of " + statusMillis.size() + ")");
        }
    }
}
