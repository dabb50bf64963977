package dev.etcdagent.agent.status;

/** The agent's figures in JMX, as {@code dev.etcdagent:type=Agent}. */
public interface AgentMXBean {

    boolean isConnected();

    /** The etcd endpoints the agent connects to. */
    String getEndpoint();

    /** The revision up to which every change of every key and prefix this JVM follows is applied. */
    long getRevision();

    /** How many keys have a latest value that a field refused. */
    int getRejectedCount();

    /** The latest WARN or ERROR line of the agent, or null. */
    String getLastError();
}
