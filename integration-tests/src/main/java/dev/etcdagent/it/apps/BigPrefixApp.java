package dev.etcdagent.it.apps;

import dev.etcdagent.Dynamic;

/**
 * Follows a big configuration prefix: {@code bulk.last} sorts after every other {@code bulk.*}
 * key, so it arrives in the last page of a paged read; {@code big} holds one value near etcd's
 * request limit, reported by its length.
 */
public final class BigPrefixApp {

    @Dynamic("bulk.last") static String last = "declared";
    @Dynamic("big") static String big = "";

    private BigPrefixApp() {
    }

    public static void main(String[] args) throws Exception {
        new ChangeReporter()
                .watch("last", () -> last)
                .watch("big.length", () -> big.length())
                .run();
    }
}
