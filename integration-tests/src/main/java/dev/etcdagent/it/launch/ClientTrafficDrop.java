package dev.etcdagent.it.launch;

import java.util.List;

/**
 * Every packet to or from one etcd member's client port dropped with iptables, as a flaky network
 * does: connections stay open and nothing answers, nothing is refused. {@link #close()} heals it.
 */
public final class ClientTrafficDrop implements AutoCloseable {

    private final IptablesChain chain;

    private ClientTrafficDrop(IptablesChain chain) {
        this.chain = chain;
    }

    public static ClientTrafficDrop to(int clientPort) {
        String port = Integer.toString(clientPort);
        return new ClientTrafficDrop(IptablesChain.create("etcd-it-drop-" + clientPort, List.of(
                List.of("-p", "tcp", "--dport", port, "-j", "DROP"),
                List.of("-p", "tcp", "--sport", port, "-j", "DROP"))));
    }

    @Override
    public void close() {
        chain.close();
    }
}
