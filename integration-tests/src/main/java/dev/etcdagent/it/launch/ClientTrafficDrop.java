package dev.etcdagent.it.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every packet to or from one etcd member's client port dropped with iptables, as a flaky network
 * does: connections stay open and nothing answers, nothing is refused. {@link #close()} heals it.
 * Needs root (the tests and CI run as root).
 */
public final class ClientTrafficDrop implements AutoCloseable {

    private final String chain;
    private boolean closed;

    private ClientTrafficDrop(String chain) {
        this.chain = chain;
    }

    public static ClientTrafficDrop to(int clientPort) {
        ClientTrafficDrop drop = new ClientTrafficDrop("etcd-it-drop-" + clientPort);
        try {
            iptables("-N", drop.chain);
            iptables("-A", drop.chain, "-p", "tcp", "--dport", Integer.toString(clientPort), "-j", "DROP");
            iptables("-A", drop.chain, "-p", "tcp", "--sport", Integer.toString(clientPort), "-j", "DROP");
            // On loopback every packet passes OUTPUT once.
            iptables("-I", "OUTPUT", "1", "-j", drop.chain);
        } catch (RuntimeException e) {
            drop.close();
            throw e;
        }
        return drop;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        for (String[] command : new String[][] {{"-D", "OUTPUT", "-j", chain}, {"-F", chain}, {"-X", chain}}) {
            try {
                iptables(command);
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        if (failures.size() == 3) {
            throw new IllegalStateException("could not remove iptables chain " + chain + ": " + failures);
        }
    }

    static void iptables(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output
                        + " (install iptables with integration-tests/bin/setup; run as root)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run iptables (install it with integration-tests/bin/setup)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
