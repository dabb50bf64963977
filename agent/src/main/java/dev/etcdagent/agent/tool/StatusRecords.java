package dev.etcdagent.agent.tool;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.status.StatusRecord;

/**
 * The status records under a prefix as the tool reads them: an entry that is not a record (not JSON,
 * a range without a key, a field of the wrong type) is skipped with one warning line naming its key
 * and what is wrong, never its text, which could be anything put there by mistake.
 */
final class StatusRecords {

    private final PrintStream warnings;
    private final Set<String> warned = new HashSet<>();

    StatusRecords(PrintStream warnings) {
        this.warnings = warnings;
    }

    /** The record {@code entry} holds, or null when it is not one (warned once per key). */
    StatusRecord read(Change entry) {
        try {
            return StatusRecord.parse(entry.value);
        } catch (IllegalArgumentException e) {
            if (warned.add(entry.key)) {
                warnings.println("etcd-agent: skipping " + entry.key + ": not a status record (" + e.getMessage() + ")");
            }
            return null;
        }
    }
}
