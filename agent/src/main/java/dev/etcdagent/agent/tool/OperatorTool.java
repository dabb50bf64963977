package dev.etcdagent.agent.tool;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.log.LibraryLogging;
import dev.etcdagent.agent.scope.Scope;

/**
 * The operator's side of the agent jar: {@code java -jar etcd-agent.jar status|put|delete ...}.
 * Results on stdout; a failure is one line on stderr, never a stack trace, and so is each warning
 * (a key under the status prefix that is not a record); the bundled libraries say nothing (their
 * logs go to the agent's log, which is off unless ETCD_AGENT_LOG=debug). No line ever holds a
 * configuration value, not even the one being put.
 */
public final class OperatorTool {

    static final int OK = 0;
    static final int REJECTED = 1;
    static final int NOT_CONFIRMED = 2;
    static final int FAILED = 3;
    static final int NOT_FOLLOWED = 4;

    static final String COMMANDS = "status, get, put, delete, promote, abort, history or rollback";

    private OperatorTool() {
    }

    /** put, delete, promote, abort and rollback: a plan from the key's family as read now, then the wait. */
    private static int change(CommandLine line, PrintStream out, PrintStream err) throws InterruptedException {
        String command = line.command;
        String service = line.operand(0, "SERVICE");
        String name = line.operand(1, "NAME");
        boolean put = command.equals("put");
        String value = put ? line.operand(2, "VALUE") : null;
        line.expectOperands(put ? 3 : 2);
        List<String> allowed = new ArrayList<>(List.of("wait", "reason", "audit"));
        if (!command.equals("rollback")) {
            allowed.addAll(ScopeOptions.NAMES);
        }
        allowed.addAll(put ? List.of("for") : command.equals("rollback") ? List.of("to") : List.of());
        line.allowOnly(allowed);
        List<Scope> scopes = ScopeOptions.scopes(line.options);
        Duration ttl = ScopeOptions.temporary(line.options);
        long to = line.options.containsKey("to") ? line.count("to", 0) : 0;
        Duration wait = line.waitTime();
        String reason = line.options.get("reason");
        try (EtcdAccess etcd = EtcdAccess.forService(service, line.options, System.getenv())) {
            String key = etcd.configKey(name);
            if ((!scopes.isEmpty() || ttl != null) && !key.startsWith(etcd.arguments.configPrefix() + "/")) {
                // The agents watch an absolute key alone: an override beside it would reach no one.
                throw new ToolFailure(command + ": " + key + " is outside the configuration prefix "
                        + etcd.arguments.configPrefix() + "/: scoped and temporary values apply to keys under it only");
            }
            Family family = Family.read(etcd, key, 0);
            ChangePlan plan;
            switch (command) {
                case "put":
                    plan = ChangePlans.put(family, value, scopes, ttl);
                    break;
                case "delete":
                    plan = ChangePlans.delete(family, scopes);
                    if (plan == null) {
                        out.println(key + (scopes.isEmpty() ? "" : " has no override for "
                                + scopes.get(0).describe() + (scopes.size() > 1 ? ", …" : "") + ";") + " does not exist:"
                                + " nothing to delete");
                        return OK;
                    }
                    break;
                case "promote":
                    plan = ChangePlans.promote(family, scopes);
                    break;
                case "abort":
                    plan = ChangePlans.abort(family, scopes);
                    if (plan == null) {
                        out.println(key + " has no override" + (scopes.isEmpty() ? "" : " of that scope")
                                + ": nothing to abort; every instance has the base value");
                        return OK;
                    }
                    break;
                default:
                    plan = rollback(etcd, family, to, audit(line), out);
                    if (plan == null) {
                        return OK;
                    }
            }
            return new ChangeCommand(etcd, out, err, audit(line), reason).run(plan, family, wait);
        }
    }

    /** Back to before the family's last change, or to revision {@code to}; null (and a line) when nothing differs. */
    private static ChangePlan rollback(EtcdAccess etcd, Family now, long to, String audit, PrintStream out) {
        long target = to;
        if (target == 0) {
            long last = 0;
            for (Family.Entry entry : now.entries.values()) {
                last = Math.max(last, entry.revision);
            }
            for (Audit.Entry entry : Audit.read(etcd, audit, now.base).values()) {
                last = Math.max(last, entry.revision);
            }
            if (last == 0) {
                out.println(now.base + " has no change to roll back");
                return null;
            }
            target = last - 1;
        }
        Family then;
        try {
            then = Family.read(etcd, now.base, target);
        } catch (EtcdAccess.Compacted compacted) {
            throw new ToolFailure("rollback: revision " + target + " of " + now.base + " is compacted; etcd no longer"
                    + " holds the value of then (see history " + etcd.arguments.service() + " " + now.base + ")");
        }
        List<String> skipped = new ArrayList<>();
        ChangePlan plan = ChangePlans.rollback(now, then, skipped);
        if (!skipped.isEmpty()) {
            out.println("not brought back: the temporary value" + (skipped.size() > 1 ? "s" : "") + " of then ("
                    + String.join("; ", skipped) + "); put again with --for to have it again");
        }
        if (plan.isEmpty()) {
            out.println(now.base + " and its overrides are as at revision " + target + ": nothing to roll back");
            return null;
        }
        return plan;
    }

    private static String audit(CommandLine line) {
        String prefix = line.options.getOrDefault("audit", Audit.DEFAULT_PREFIX).trim();
        if (!prefix.startsWith("/") || prefix.length() < 2 || prefix.endsWith("/")) {
            throw new ToolFailure("--audit " + prefix + " must name a prefix, e.g. " + Audit.DEFAULT_PREFIX);
        }
        return prefix;
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (ToolFailure failure) {
            System.err.println("etcd-agent: " + failure.getMessage());
            status = FAILED;
        } catch (InterruptedException e) {
            status = FAILED;
        } catch (RuntimeException | LinkageError e) {
            System.err.println("etcd-agent: internal error (" + AgentLog.describe(e) + "); please report it");
            status = FAILED;
        }
        System.out.flush();
        // jetcd's gRPC and Vert.x threads would keep a plain return waiting.
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        AgentLog.setLevel("debug".equalsIgnoreCase(System.getenv("ETCD_AGENT_LOG"))
                ? AgentLog.Level.DEBUG : AgentLog.Level.OFF);
        LibraryLogging.install();
        CommandLine line = CommandLine.parse(args);
        if (line.help || line.command == null) {
            out.println(Help.text(line.command));
            return OK;
        }
        switch (line.command) {
            case "status": {
                String service = line.operand(0, "SERVICE");
                line.expectOperands(1);
                try (EtcdAccess etcd = EtcdAccess.forService(service, line.options, System.getenv())) {
                    return new StatusCommand(etcd, out, err).run(line.json);
                }
            }
            case "put":
            case "delete":
            case "promote":
            case "abort":
            case "rollback":
                return change(line, out, err);
            case "get":
            case "history": {
                String service = line.operand(0, "SERVICE");
                String name = line.operand(1, "NAME");
                line.expectOperands(2);
                boolean get = line.command.equals("get");
                line.allowOnly(get ? List.of() : List.of("audit", "limit"));
                int limit = line.count("limit", HistoryCommand.DEFAULT_LIMIT);
                try (EtcdAccess etcd = EtcdAccess.forService(service, line.options, System.getenv())) {
                    return get ? new GetCommand(etcd, out, err).run(name, line.json)
                            : new HistoryCommand(etcd, out, audit(line)).run(name, limit, line.json);
                }
            }
            default:
                throw new ToolFailure("unknown command '" + line.command + "': give " + COMMANDS + "; see --help");
        }
    }
}
