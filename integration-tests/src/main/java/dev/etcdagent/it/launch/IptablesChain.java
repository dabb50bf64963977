package dev.etcdagent.it.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An iptables chain of DROP rules hooked first into OUTPUT (on loopback every packet passes OUTPUT
 * once), removed whole by {@link #close()} whatever state a failed start left it in. Needs root
 * (the tests and CI run as root).
 */
final class IptablesChain implements AutoCloseable {

    private final String name;
    private boolean closed;

    private IptablesChain(String name) {
        this.name = name;
    }

    /** Creates chain {@code name} with {@code rules} (each the arguments after {@code -A name}) and hooks it in. */
    static IptablesChain create(String name, List<List<String>> rules) {
        IptablesChain chain = new IptablesChain(name);
        try {
            run("-N", name);
            for (List<String> rule : rules) {
                List<String> command = new ArrayList<>(List.of("-A", name));
                command.addAll(rule);
                run(command.toArray(new String[0]));
            }
            run("-I", "OUTPUT", "1", "-j", name);
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
        return chain;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        for (String[] command : new String[][] {{"-D", "OUTPUT", "-j", name}, {"-F", name}, {"-X", name}}) {
            try {
                run(command);
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        if (failures.size() == 3) {
            throw new IllegalStateException("could not remove iptables chain " + name + ": " + failures);
        }
    }

    private static void run(String... args) {
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
