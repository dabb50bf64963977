package dev.etcdagent.agent.tool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code history}: the earlier values of a key and its overrides, newest first, with who changed
 * them, when and why where the tool made the change (see {@link History}).
 */
final class HistoryCommand {

    static final int DEFAULT_LIMIT = 20;

    private final EtcdAccess etcd;
    private final PrintStream out;
    private final String audit;

    HistoryCommand(EtcdAccess etcd, PrintStream out, String audit) {
        this.etcd = etcd;
        this.out = out;
        this.audit = audit;
    }

    int run(String name, int limit, boolean json) {
        String key = etcd.configKey(name);
        Family now = Family.read(etcd, key, 0);
        History history = History.of(etcd, now, Audit.read(etcd, audit, key), limit);
        if (json) {
            JsonArray events = new JsonArray();
            for (History.Event event : history.events) {
                JsonObject line = new JsonObject().put("key", event.key).put("scope", event.scope())
                        .put("operation", event.value == null ? "delete" : "put").put("value", event.value);
                if (event.revision != 0) {
                    line.put("revision", event.revision);
                } else {
                    line.put("after", event.after);
                }
                if (event.audit != null) {
                    line.put("time", event.audit.time).put("who", event.audit.who).put("why", event.audit.reason)
                            .put("by", event.audit.operation);
                }
                events.add(line);
            }
            JsonObject document = new JsonObject().put("key", key).put("revision", now.revision).put("changes", events);
            if (history.compactedAt != 0) {
                document.put("compactedAt", history.compactedAt);
            }
            out.println(document.encodePrettily());
            return OperatorTool.OK;
        }
        out.println(key + " (etcd revision " + now.revision + "), newest first:");
        if (history.events.isEmpty()) {
            out.println("  no change found" + (history.compactedAt != 0 ? " (revision " + history.compactedAt
                    + " and older are compacted)" : ""));
            return OperatorTool.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REVISION", "TIME", "WHO", "SCOPE", "VALUE", "WHY"});
        for (History.Event event : history.events) {
            Audit.Entry by = event.audit;
            rows.add(new String[] {event.revision != 0 ? String.valueOf(event.revision) : ">" + event.after,
                by == null || by.time == null ? "-" : by.time,
                by != null && by.who != null ? by.who : event.ended() ? "- (lease)" : "- (etcdctl)",
                event.scope(), event.value != null ? event.value : event.ended() ? "(ended)" : "(deleted)",
                by != null ? by.operation + (by.reason == null ? "" : ": " + by.reason)
                : event.ended() ? "its time ran out" : "-"});
        }
        StatusCommand.printTable(out, rows);
        if (history.compactedAt != 0) {
            out.println("older changes are compacted (etcd no longer holds revision " + history.compactedAt + ")");
        }
        return OperatorTool.OK;
    }
}
