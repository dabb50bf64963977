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

    public static EtcdCluster start(int size) {
        EtcdCluster cluster = new EtcdCluster();
        try {
            for (int i = 0; i < size; i++) {
                cluster.members.add(new EtcdServer("m" + i, FreePorts.next(), FreePorts.next(), "http", List.of(), List.of()));
            }
            String initial = cluster.members.stream().map(m -> m.name() + "=" + m.peerUrl())
                    .collect(Collectors.joining(","));
            String token = "it-" + UUID.randomUUID();
            for (EtcdServer member : cluster.members) {
                member.joinCluster(initial, token);
                member.launch();
            }
            for (EtcdServer member : cluster.members) {
                member.awaitHealthy();
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
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

    @Override
    public void close() {
        for (EtcdServer member : members) {
            member.close();
        }
    }
}
