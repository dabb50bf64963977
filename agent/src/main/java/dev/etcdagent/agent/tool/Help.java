package dev.etcdagent.agent.tool;

import dev.etcdagent.agent.config.Option;
import dev.etcdagent.agent.config.Options;

/** The tool's --help texts. */
final class Help {

    private static final String CONNECTION = connection();

    private static final String EXIT = String.join("\n",
            "Exit status:",
            "  0  every live instance that follows the key applied the change (or --wait 0, or nothing to delete)",
            "  1  at least one rejected it",
            "  2  at least one had not confirmed when the wait ended; an instance whose record went without a",
            "     clean exit (its lease expired: frozen, cut off, paused or killed) counts here unless it came",
            "     back and confirmed",
            "  3  bad usage, or etcd unreachable or refusing; when the change itself got no answer, the line says",
            "     it may have been applied and how to check",
            "  4  no live instance of SERVICE follows the key written (a misspelt NAME, a forgotten --config):",
            "     the line names the key and what the instances follow; for a scoped put, no live instance is in",
            "     the scope (the override stays: instances that start in it take it)");

    private static final String SCOPES = String.join("\n",
            "  --instances ID[,ID...]  only these instances (ids as status lists them)",
            "  --where NAME=VALUE     only instances started with this label (agent argument labels=NAME:VALUE)",
            "  --canary N%            only instances whose bucket, CRC-32 of the instance id modulo 100, is below N;",
            "                         raising N keeps the instances it had",
            "  Precedence: instance, then label, then canary, then a temporary value for all, then the base value;",
            "  a temporary override beats a lasting one of its kind. Keys: {config}/NAME@instance=ID,",
            "  @label=NAME:VALUE, @canary=N, @all; with @temporary appended when bound to a lease.");

    private static final String AUDITED = String.join("\n",
            "  --reason TEXT          why, for the audit entry written in the same transaction as the change",
            "  --audit PREFIX         where the audit entries are (default " + Audit.DEFAULT_PREFIX + "; entries go",
            "                         under {audit}{service}{key}/)",
            "  --wait DURATION        how long to wait for the instances (default 10s; 0: do not wait)");

    private Help() {
    }

    /** The connection options, each as {@link Options} declares it. */
    private static String connection() {
        StringBuilder text = new StringBuilder()
                .append("Connection (the agent's arguments of the same names, same defaults; each also read from\n")
                .append("ETCD_AGENT_<NAME> in the environment):\n");
        for (Option<?> option : Options.forTool()) {
            text.append(option.helpLine()).append('\n');
        }
        return text.append("The password comes from ETCD_AGENT_PASSWORD or --password-file, never from the command")
                .append(" line.").toString();
    }

    /** For people: {@code 24h}, {@code 1h30m}, {@code 90s} → {@code 1m30s}, {@code 5s}. */
    static String duration(java.time.Duration time) {
        long seconds = time.getSeconds();
        StringBuilder text = new StringBuilder();
        long[] units = {86_400, 3_600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (seconds >= units[i] || i == units.length - 1 && text.length() == 0) {
                text.append(seconds / units[i]).append(names[i]);
                seconds %= units[i];
            }
        }
        return text.toString();
    }

    static String usage(String command) {
        if (command == null) {
            return "java -jar etcd-agent.jar status|get|put|delete|promote|abort|history|rollback ... (see --help)";
        }
        switch (command) {
            case "status":
                return "java -jar etcd-agent.jar status SERVICE [--json]";
            case "put":
                return "java -jar etcd-agent.jar put SERVICE NAME VALUE [--instances ID,...|--where NAME=VALUE|--canary N%]"
                        + " [--for 24h] [--reason TEXT] [--wait 10s]";
            case "delete":
                return "java -jar etcd-agent.jar delete SERVICE NAME [--instances ...|--where ...|--canary N%] [--reason TEXT]"
                        + " [--wait 10s]";
            case "promote":
            case "abort":
                return "java -jar etcd-agent.jar " + command + " SERVICE NAME [--instances ...|--where ...|--canary N%]"
                        + " [--reason TEXT] [--wait 10s]";
            case "get":
                return "java -jar etcd-agent.jar get SERVICE NAME [--json]";
            case "history":
                return "java -jar etcd-agent.jar history SERVICE NAME [--limit 20] [--json]";
            case "rollback":
                return "java -jar etcd-agent.jar rollback SERVICE NAME [--to REVISION] [--reason TEXT] [--wait 10s]";
            default:
                return usage(null);
        }
    }

    static String text(String command) {
        if ("status".equals(command)) {
            return String.join("\n",
                    "Usage: " + usage("status"),
                    "",
                    "Lists the live instances of SERVICE (e.g. /service/a) from their status records: instance,",
                    "address, pid, host, Java, agent version, uptime, the revision up to which each has applied",
                    "every change it follows, and how many keys' latest values it rejected; then etcd's current",
                    "revision. --json prints the records themselves, as a JSON array.",
                    "",
                    CONNECTION,
                    "",
                    "Exit status: 0 listed (even none), 3 bad usage or etcd unreachable or refusing.");
        }
        if ("get".equals(command) || "history".equals(command)) {
            return String.join("\n",
                    "Usage: " + usage(command),
                    "",
                    "get".equals(command)
                            ? "Shows {config}/NAME's base value and revision, each override with its scope, revision and the\n"
                            + "time a temporary one has left, and for each live instance the value that applies to it and\n"
                            + "whether it applied it. --json prints the same as one JSON object."
                            : "Lists the earlier values of {config}/NAME and its overrides, newest first (revision, time, who,\n"
                            + "scope, value, why), from etcd's revisions while they are not compacted; who, time and why come\n"
                            + "from the audit entries the tool writes (a change made with etcdctl has none).\n"
                            + "  --limit N              at most N changes (default 20)\n"
                            + "  --audit PREFIX         where the audit entries are (default " + Audit.DEFAULT_PREFIX + ")",
                    "",
                    CONNECTION,
                    "",
                    "Exit status: 0 shown, 3 bad usage or etcd unreachable or refusing.");
        }
        if (command != null && !"status".equals(command)) {
            String what;
            switch (command) {
                case "put":
                    what = "Puts VALUE at {config}/NAME (NAME itself when it starts with '/'), or with a scope at its override\n"
                            + "for those instances only; with --for DURATION the value is temporary (bound to a lease: etcd\n"
                            + "itself deletes it when the time is up, and every instance returns to the value it had\n"
                            + "without it). A VALUE that starts with '--' goes after '--': put SERVICE NAME -- VALUE.";
                    break;
                case "delete":
                    what = "Deletes {config}/NAME, or with a scope its lasting override for those instances.";
                    break;
                case "promote":
                    what = "Makes the override's value the base value and removes the override (the one of the scope\n"
                            + "given; without one, the key's only override, or all of them when they hold one value).";
                    break;
                case "abort":
                    what = "Removes the key's overrides (those of the scope given; without one, all of them, temporary\n"
                            + "ones included): every instance returns to the base value.";
                    break;
                default:
                    what = "Puts back the key and its overrides as they were before their last change, or at\n"
                            + "--to REVISION (a key that did not exist then is deleted; a temporary value of then is not\n"
                            + "brought back).";
            }
            return String.join("\n",
                    "Usage: " + usage(command),
                    "",
                    what,
                    "Then waits until every live instance whose value the change moves reports that it applied it,",
                    "printing one line per instance (applied, or rejected: reason (field)) and a summary last. An",
                    "instance that exits normally during the wait is reported (stopped cleanly) and not waited for;",
                    "one whose record goes otherwise is not confirmed unless it comes back and confirms in time.",
                    "",
                    "rollback".equals(command) ? "" : SCOPES,
                    AUDITED,
                    "",
                    CONNECTION,
                    "",
                    EXIT);
        }
        return String.join("\n",
                "etcd-agent's operator tool. Usage:",
                "  java -jar etcd-agent.jar status SERVICE [--json]            the live instances and what they applied",
                "  java -jar etcd-agent.jar get SERVICE NAME                    a key's values and who applied which",
                "  java -jar etcd-agent.jar put SERVICE NAME VALUE [--wait 10s] change a key, wait for every instance",
                "      [--instances ID,...|--where NAME=VALUE|--canary N%] [--for 24h] [--reason TEXT]",
                "  java -jar etcd-agent.jar delete SERVICE NAME [--wait 10s]    delete a key, wait for every instance",
                "  java -jar etcd-agent.jar promote|abort SERVICE NAME          an override becomes the base / goes",
                "  java -jar etcd-agent.jar history SERVICE NAME [--json]       earlier values, who, when, why",
                "  java -jar etcd-agent.jar rollback SERVICE NAME [--to REV]    back to before the last change",
                "  java -jar etcd-agent.jar COMMAND --help                      more on a command",
                "",
                CONNECTION,
                "",
                EXIT);
    }
}
