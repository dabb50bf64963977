package dev.etcdagent.agent.tool;

import java.io.PrintStream;

import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.log.LibraryLogging;

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

    private OperatorTool() {
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
            case "delete": {
                boolean put = line.command.equals("put");
                String service = line.operand(0, "SERVICE");
                String name = line.operand(1, "NAME");
                String value = put ? line.operand(2, "VALUE") : null;
                line.expectOperands(put ? 3 : 2);
                java.time.Duration wait = line.waitTime();
                try (EtcdAccess etcd = EtcdAccess.forService(service, line.options, System.getenv())) {
                    return new ChangeCommand(etcd, out, err).run(name, value, wait);
                }
            }
            default:
                throw new ToolFailure("unknown command '" + line.command + "': give status, put or delete; see --help");
        }
    }
}
