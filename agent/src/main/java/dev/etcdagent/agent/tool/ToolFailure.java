package dev.etcdagent.agent.tool;

/** Ends the tool with exit status 3 and one line: bad usage, or etcd cannot be reached or refuses. */
class ToolFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ToolFailure(String line) {
        super(line, null, false, false);
    }
}
