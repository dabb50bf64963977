package dev.etcdagent.agent.status;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.List;

import javax.management.JMException;
import javax.management.ObjectName;

import dev.etcdagent.agent.etcd.EtcdSession;
import dev.etcdagent.agent.log.AgentLog;

/**
 * The {@code dev.etcdagent:type=Agent} MXBean. Registered on the etcd loop once etcd first
 * answers, never in premain: the platform MBean server costs tens of milliseconds to start.
 */
public final class AgentJmx implements AgentMXBean, EtcdSession.Listener {

    public static final String NAME = "dev.etcdagent:type=Agent";

    private final EtcdSession session;
    private final AgentStatus status;
    private final String endpoint;
    private boolean registered;

    public AgentJmx(EtcdSession session, AgentStatus status, List<URI> endpoints) {
        this.session = session;
        this.status = status;
        StringBuilder text = new StringBuilder();
        for (URI uri : endpoints) {
            text.append(text.length() == 0 ? "" : ",").append(uri);
        }
        this.endpoint = text.toString();
    }

    @Override
    public void connected(long clusterId, boolean clusterChanged) {
        if (registered) {
            return;
        }
        registered = true;
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(NAME));
        } catch (JMException | RuntimeException e) {
            AgentLog.warn("cannot register the JMX bean " + NAME + ": " + AgentLog.describe(e));
        }
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public String getEndpoint() {
        return endpoint;
    }

    @Override
    public long getRevision() {
        return status.revision();
    }

    @Override
    public int getRejectedCount() {
        return status.rejectedCount();
    }

    @Override
    public String getLastError() {
        return AgentLog.lastProblem();
    }
}
