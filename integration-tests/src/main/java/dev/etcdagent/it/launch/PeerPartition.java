package dev.etcdagent.it.launch;

import java.util.ArrayList;
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

    private final String chain;
    private boolean closed;

    private PeerPartition(String chain) {
        this.chain = chain;
    }

    static PeerPartition cut(int memberUid, int memberPeerPort, List<Integer> otherPeerPorts) {
        String chain = "etcd-it-cut-" + memberPeerPort;
        String mark = Integer.toString(memberPeerPort);
        String others = otherPeerPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
        PeerPartition partition = new PeerPartition(chain);
        try {
            run("-N", chain);
            // Connections the member opens (to its peers' ports) carry its mark: both directions are dropped.
            run("-A", chain, "-m", "owner", "--uid-owner", Integer.toString(memberUid),
                    "-j", "CONNMARK", "--set-mark", mark);
            run("-A", chain, "-p", "tcp", "-m", "connmark", "--mark", mark,
                    "-m", "multiport", "--ports", others, "-j", "DROP");
            // Connections its peers open to its peer port.
            run("-A", chain, "-p", "tcp", "-m", "multiport", "--ports", Integer.toString(memberPeerPort), "-j", "DROP");
            // On loopback every packet passes OUTPUT once: that is where it is dropped.
            run("-I", "OUTPUT", "1", "-j", chain);
        } catch (RuntimeException e) {
            partition.close();
            throw e;
        }
        return partition;
    }

    /** Heals the partition: removes the rules (whatever state a failed start left them in). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        for (String[] command : new String[][] {{"-D", "OUTPUT", "-j", chain}, {"-F", chain}, {"-X", chain}}) {
            try {
                run(command);
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        if (failures.size() == 3) {
            throw new IllegalStateException("could not remove iptables chain " + chain + ": " + failures);
        }
    }

    private static void run(String... args) {
        ClientTrafficDrop.iptables(args);
    }
}
