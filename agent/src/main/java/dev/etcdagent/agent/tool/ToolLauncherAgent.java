package dev.etcdagent.agent.tool;

import java.lang.instrument.Instrumentation;

import dev.etcdagent.agent.instrument.ProtobufWithoutUnsafe;

/**
 * Started by {@code java -jar etcd-agent.jar} before the tool's {@code main} (the jar's
 * {@code Launcher-Agent-Class}): the tool's shaded protobuf runs without {@code sun.misc.Unsafe},
 * as the agent's does, so that JDK 24 and later print no {@code WARNING} lines into the tool's
 * stderr, which scripts read.
 */
public final class ToolLauncherAgent {

    private ToolLauncherAgent() {
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        instrumentation.addTransformer(ProtobufWithoutUnsafe.transformer());
    }
}
