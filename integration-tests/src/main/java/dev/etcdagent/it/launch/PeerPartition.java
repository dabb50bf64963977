package dev.etcdagent.it.launch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One etcd member cut off from its peers with iptables, while it still accepts clients: every
 * packet of a peer connection to or from that member is dropped, in both directions. On loopback
 * all members send from 127.0.0.1, so the member's own packets are told apart by its user id, and
 * the connections it opens are marked so that its peers' answers on them are dropped too.
 * {@link #close()} removes every rule. Needs root (the tests and CI run as root).
 */
public final class PeerPartition implements AutoCloseable {

    private final IptablesChain chain;

    private PeerPartition(IptablesChain chain) {
        this.chain = chain;
    }

    static PeerPartition cut(int memberUid, int memberPeerPort, List<Integer> otherPeerPorts) {
        String mark = Integer.toString(memberPeerPort);
        String others = otherPeerPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
        return new PeerPartition(IptablesChain.create("etcd-it-cut-" + memberPeerPort, List.of(
                // Connections the member opens (to its peers' ports) carry its mark: both directions are dropped.
                List.of("-m", "owner", "--uid-owner", Integer.toString(memberUid), "-j", "CONNMARK", "--set-mark", mark),
                List.of("-p", "tcp", "-m", "connmark", "--mark", mark, "-m", "multiport", "--ports", others, "-j", "DROP"),
                // Connections its peers open to its peer port.
                List.of("-p", "tcp", "-m", "multiport", "--ports", Integer.toString(memberPeerPort), "-j", "DROP"))));
    }

    /** Heals the partition: removes the rules (whatever state a failed start left them in). */
    @Override
    public void close() {
        chain.close();
    }
}
