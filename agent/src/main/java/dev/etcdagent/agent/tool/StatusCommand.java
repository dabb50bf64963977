package dev.etcdagent.agent.tool;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.status.StatusRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code status}: one row per live instance of a service, from the status records, and etcd's revision. */
final class StatusCommand {

    private static final String[] HEADINGS = {
        "INSTANCE", "ADDRESS", "PID", "HOST", "JAVA", "AGENT", "UPTIME", "APPLIED", "REJECTED"};
    /** A last column, when any instance has labels. */
    private static final String LABELS = "LABELS";

    private final EtcdAccess etcd;
    private final PrintStream out;
    private final StatusRecords reader;

    StatusCommand(EtcdAccess etcd, PrintStream out, PrintStream err) {
        this.etcd = etcd;
        this.out = out;
        this.reader = new StatusRecords(err);
    }

    int run(boolean json) {
        RangeRead read = etcd.readPrefix(etcd.statusPrefix());
        List<StatusRecord> records = new ArrayList<>();
        List<JsonObject> texts = new ArrayList<>();
        for (Change entry : read.entries) {
            StatusRecord record = reader.read(entry);
            // A record saying stopping goes within milliseconds, with its lease: the JVM is no longer live.
            if (record != null && etcd.arguments.service().equals(record.service) && !record.stopping) {
                records.add(record);
                texts.add(new JsonObject(entry.value));
            }
        }
        if (json) {
            JsonArray array = new JsonArray();
            texts.sort(Comparator.comparing((JsonObject record) -> String.valueOf(record.getString("instance"))));
            texts.forEach(array::add);
            out.println(array.encodePrettily());
            return OperatorTool.OK;
        }
        records.sort(Comparator.comparing((StatusRecord record) -> String.valueOf(record.instance)));
        boolean labelled = records.stream().anyMatch(record -> !record.labels.isEmpty());
        List<String[]> rows = new ArrayList<>();
        rows.add(labelled ? withLast(HEADINGS, LABELS) : HEADINGS);
        Instant now = Instant.now();
        for (StatusRecord record : records) {
            String[] row = {
                record.instance, record.addr == null ? "-" : record.addr, String.valueOf(record.pid),
                String.valueOf(record.hostname), String.valueOf(record.java), String.valueOf(record.agentVersion),
                uptime(record.startedAt, now), String.valueOf(record.revision), String.valueOf(record.rejected.size())};
            rows.add(labelled ? withLast(row, labels(record.labels)) : row);
        }
        if (!records.isEmpty()) {
            printTable(out, rows);
        }
        out.println(ChangeCommand.plural(records.size(), "live instance") + " of " + etcd.arguments.service()
                + "; etcd revision " + read.revision);
        return OperatorTool.OK;
    }

    private static String[] withLast(String[] row, String last) {
        String[] longer = Arrays.copyOf(row, row.length + 1);
        longer[row.length] = last;
        return longer;
    }

    /** As the {@code labels} argument lists them: {@code tier:gold,zone:eu}; {@code -} for none. */
    static String labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            text.append(text.length() == 0 ? "" : ",").append(label.getKey()).append(':').append(label.getValue());
        }
        return text.toString();
    }

    static void printTable(PrintStream out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line);
        }
    }

    static String uptime(String startedAt, Instant now) {
        try {
            Duration up = Duration.between(Instant.parse(startedAt), now);
            if (up.isNegative()) {
                return "0s";
            }
            long seconds = up.toSeconds();
            if (seconds < 60) {
                return seconds + "s";
            }
            if (seconds < 3600) {
                return seconds / 60 + "m" + seconds % 60 + "s";
            }
            if (seconds < 86_400) {
                return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
            }
            return seconds / 86_400 + "d" + seconds % 86_400 / 3600 + "h";
        } catch (DateTimeParseException | NullPointerException e) {
            return "?";
        }
    }
}
