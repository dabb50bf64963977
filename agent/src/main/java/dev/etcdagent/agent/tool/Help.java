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
            "     the line names the key and what the instances follow");

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

    static String usage(String command) {
        if (command == null) {
            return "java -jar etcd-agent.jar status|put|delete ... (see --help)";
        }
        switch (command) {
            case "status":
                return "java -jar etcd-agent.jar status SERVICE [--json]";
            case "put":
                return "java -jar etcd-agent.jar put SERVICE NAME VALUE [--wait 10s]";
            case "delete":
                return "java -jar etcd-agent.jar delete SERVICE NAME [--wait 10s]";
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
        if ("put".equals(command) || "delete".equals(command)) {
            boolean put = "put".equals(command);
            return String.join("\n",
                    "Usage: " + usage(command),
                    "",
                    (put ? "Puts VALUE at" : "Deletes") + " {config}/NAME (NAME itself when it starts with '/'), then waits",
                    "until every live instance of SERVICE that follows that key reports that it has applied the",
                    "change, printing one line per instance as it confirms (applied, or rejected: reason (field))",
                    "and a summary last. An instance that exits normally during the wait is reported (stopped",
                    "cleanly) and not waited for; one whose record goes otherwise is not confirmed unless it comes",
                    "back and confirms in time. No value is ever printed. A VALUE that starts with '--' goes after",
                    "'--': put SERVICE NAME -- VALUE.",
                    "",
                    "  --wait DURATION        how long to wait for the instances (default 10s; 0: do not wait)",
                    "",
                    CONNECTION,
                    "",
                    EXIT);
        }
        return String.join("\n",
                "etcd-agent's operator tool. Usage:",
                "  java -jar etcd-agent.jar status SERVICE [--json]            the live instances and what they applied",
                "  java -jar etcd-agent.jar put SERVICE NAME VALUE [--wait 10s] change a key, wait for every instance",
                "  java -jar etcd-agent.jar delete SERVICE NAME [--wait 10s]    delete a key, wait for every instance",
                "  java -jar etcd-agent.jar COMMAND --help                      more on a command",
                "",
                CONNECTION,
                "",
                EXIT);
    }
}
