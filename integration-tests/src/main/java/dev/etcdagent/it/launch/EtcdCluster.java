package dev.etcdagent.it.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** A cluster of real etcd members on loopback ports, each its own process and data directory. */
public final class EtcdCluster implements AutoCloseable {

    private final List<EtcdServer> members = new ArrayList<>();

    private EtcdCluster() {
    }

    /** Starts {@code size} members and waits until every one is healthy. */
    public static EtcdCluster start(int size) {
        for (int attempt = 1; ; attempt++) {
            EtcdCluster cluster = new EtcdCluster();
            try {
                cluster.launch(size);
                return cluster;
            } catch (RuntimeException e) {
                boolean portTaken = cluster.members.stream().anyMatch(EtcdServer::lostPortRace);
                cluster.close();
                if (!portTaken || attempt == EtcdServer.START_ATTEMPTS) {
                    throw e;
                }
                // Another process took a port between FreePorts and etcd's bind: all new ports.
            }
        }
    }

    private void launch(int size) {
        for (int i = 0; i < size; i++) {
            members.add(new EtcdServer("m" + i, FreePorts.next(), FreePorts.next(), "http", List.of(), List.of()));
        }
        String initial = members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
        String token = "it-" + UUID.randomUUID();
        for (EtcdServer member : members) {
            member.joinCluster(initial, token);
            member.launch();
        }
        for (EtcdServer member : members) {
            member.awaitHealthy();
        }
    }

    public List<EtcdServer> members() {
        return members;
    }

    public EtcdServer member(int index) {
        return members.get(index);
    }

    /** The agent's form: URLs separated by ';'. */
    public String endpoints() {
        return members.stream().map(EtcdServer::endpoint).collect(Collectors.joining(";"));
    }

    /** etcdctl's form: URLs separated by ','. */
    public String endpointsForEtcdctl() {
        return members.stream().map(EtcdServer::endpoint).collect(Collectors.joining(","));
    }

    /** etcdctl talking to every member. */
    public Etcdctl etcdctl() {
        return Etcdctl.forEndpoints(endpointsForEtcdctl());
    }

    @Override
    public void close() {
        for (EtcdServer member : members) {
            member.close();
        }
    }
}
