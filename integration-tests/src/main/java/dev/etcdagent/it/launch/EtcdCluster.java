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

    /** The user member 0 runs as when it may be cut off from its peers: nobody. */
    private static final int SEPARABLE_MEMBER_UID = 65534;

    /** Starts {@code size} members and waits until every one is healthy. */
    public static EtcdCluster start(int size) {
        return start(size, false);
    }

    /**
     * Starts {@code size} members, member 0 as a user of its own so that {@link #cutOffFromPeers}
     * can tell its packets apart (the test must be root).
     */
    public static EtcdCluster startWithSeparableFirstMember(int size) {
        return start(size, true);
    }

    private static EtcdCluster start(int size, boolean separableFirst) {
        for (int attempt = 1; ; attempt++) {
            EtcdCluster cluster = new EtcdCluster();
            try {
                cluster.launch(size, separableFirst);
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

    private void launch(int size, boolean separableFirst) {
        for (int i = 0; i < size; i++) {
            members.add(new EtcdServer("m" + i, FreePorts.next(), FreePorts.next(), "http", List.of(), List.of()));
        }
        if (separableFirst) {
            members.get(0).runAs(SEPARABLE_MEMBER_UID);
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

    /**
     * Cuts member {@code index} off from every other member while it still accepts clients; the
     * cluster must have been started with {@link #startWithSeparableFirstMember}. Closing heals it.
     */
    public PeerPartition cutOffFromPeers(int index) {
        EtcdServer member = members.get(index);
        if (member.uid() < 0) {
            throw new IllegalStateException("member " + index + " does not run as a user of its own: start the"
                    + " cluster with startWithSeparableFirstMember");
        }
        List<Integer> others = members.stream().filter(m -> m != member).map(EtcdServer::peerPort)
                .collect(Collectors.toList());
        return PeerPartition.cut(member.uid(), member.peerPort(), others);
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
