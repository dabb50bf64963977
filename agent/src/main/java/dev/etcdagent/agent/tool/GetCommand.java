package dev.etcdagent.agent.tool;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.status.StatusRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code get}: a key's base value and revision, each override with its scope, revision and the time
 * a temporary one has left, and for each live instance that follows the key the value that applies
 * to it and whether it has applied it.
 */
final class GetCommand {

    private final EtcdAccess etcd;
    private final PrintStream out;
    private final StatusRecords reader;

    GetCommand(EtcdAccess etcd, PrintStream out, PrintStream err) {
        this.etcd = etcd;
        this.out = out;
        this.reader = new StatusRecords(err);
    }

    int run(String name, boolean json) {
        String key = etcd.configKey(name);
        RangeRead read = etcd.readPrefix(etcd.statusPrefix());
        Family family = Family.read(etcd, key, 0);
        List<StatusRecord> records = new ArrayList<>();
        for (Change entry : read.entries) {
            StatusRecord record = reader.read(entry);
            if (record != null && etcd.arguments.service().equals(record.service) && !record.stopping
                    && !record.rangesCovering(key).isEmpty()) {
                records.add(record);
            }
        }
        records.sort(Comparator.comparing((StatusRecord record) -> record.instance));
        JsonObject document = new JsonObject().put("key", key).put("revision", family.revision);
        JsonArray values = new JsonArray();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SCOPE", "VALUE", "REVISION", "EXPIRES"});
        for (Family.Entry entry : family.entries.values()) {
            long left = entry.lease == 0 ? -1 : etcd.secondsLeft(entry.lease);
            JsonObject value = new JsonObject().put("key", entry.key.key).put("scope", entry.scope())
                    .put("value", entry.value).put("revision", entry.revision);
            if (entry.lease != 0) {
                value.put("secondsLeft", Math.max(left, 0));
            }
            values.add(value);
            rows.add(new String[] {entry.scope(), entry.value, String.valueOf(entry.revision),
                entry.lease == 0 ? "-" : left < 0 ? "now" : "in " + Help.duration(Duration.ofSeconds(left))});
        }
        JsonArray instances = new JsonArray();
        List<String[]> instanceRows = new ArrayList<>();
        instanceRows.add(new String[] {"INSTANCE", "VALUE", "FROM", "STATE"});
        for (StatusRecord record : records) {
            Family.Entry applying = family.applyingTo(record);
            long revision = applying != null ? applying.revision : family.revision;
            StatusRecord.Rejection rejection = record.rejected.get(key);
            String state = !record.hasApplied(key, revision) ? "not yet applied (applied up to revision "
                    + record.revision + ")" : rejection != null && rejection.revision >= revision
                    ? "rejected: " + rejection.reason + " (" + rejection.field + ")" : "applied";
            instances.add(new JsonObject().put("instance", record.instance)
                    .put("value", applying == null ? null : applying.value)
                    .put("from", applying == null ? "none" : applying.scope()).put("revision", revision)
                    .put("confirmed", state.equals("applied")).put("state", state));
            instanceRows.add(new String[] {record.instance, applying == null ? "(none: declared value)" : applying.value,
                applying == null ? "-" : applying.scope(), state});
        }
        if (json) {
            out.println(document.put("values", values).put("instances", instances).encodePrettily());
            return OperatorTool.OK;
        }
        out.println(key + " (etcd revision " + family.revision + ")");
        if (family.entries.isEmpty()) {
            out.println("  no value and no override: the instances use their declared values");
        } else {
            StatusCommand.printTable(out, rows);
        }
        out.println();
        if (records.isEmpty()) {
            out.println("no live instance of " + etcd.arguments.service() + " follows " + key);
        } else {
            StatusCommand.printTable(out, instanceRows);
        }
        return OperatorTool.OK;
    }
}
