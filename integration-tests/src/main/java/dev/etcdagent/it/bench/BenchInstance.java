package dev.etcdagent.it.bench;

import java.util.List;

import dev.etcdagent.Discover;
import dev.etcdagent.Dynamic;

/**
 * The fleet figures' JVM, a service instance as etcd sees one: it listens (so the agent registers it),
 * has a {@code @Dynamic} field (so it follows its configuration prefix) and a {@code @Discover} field
 * (so it follows another service). Prints BenchProvider's {@code LISTENING} and {@code BOUND} lines,
 * then idles in {@code accept}.
 */
public final class BenchInstance {

    @Dynamic("bench.value") static int value = -1;
    @Discover(FleetFigures.BACKEND) static List<String> backends = List.of();

    private BenchInstance() {
    }

    public static void main(String[] args) throws Exception {
        // Read once, as an application would: the agent has bound both fields when this class was initialised.
        System.out.println("VALUE " + value + " BACKENDS " + backends.size());
        BenchProvider.serve(BenchProvider.listen());
    }
}
