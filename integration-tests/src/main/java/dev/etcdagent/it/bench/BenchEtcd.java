package dev.etcdagent.it.bench;

import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;

/**
 * The etcd that the figures share (the connectivity figures start their own), with the benchmark's
 * two ways to it: etcdctl, and the JSON gateway where a process start per put would blur a figure.
 */
final class BenchEtcd {

    private final EtcdServer server;
    private final Etcdctl etcdctl;
    private final Gateway gateway;

    BenchEtcd(EtcdServer server) {
        this.server = server;
        this.etcdctl = Etcdctl.forServer(server);
        this.gateway = new Gateway(server.endpoint());
    }

    EtcdServer server() {
        return server;
    }

    String endpoint() {
        return server.endpoint();
    }

    Etcdctl etcdctl() {
        return etcdctl;
    }

    Gateway gateway() {
        return gateway;
    }

    /** The agent argument of a JVM registering {@code service} on this etcd. */
    String agentArgs(String service, String more) {
        return BenchJvms.agentArgs(endpoint(), service, more);
    }
}
