package dev.etcdagent.it.apps;

import java.util.List;

import dev.etcdagent.Discover;

/** {@code @Discover} fields of the three shapes, reported through {@link ChangeReporter}. */
public final class DiscoveryApp {

    @Discover("/service/b") static List<String> all = List.of();
    @Discover("/service/b") static String one = "none";
    @Discover("/service/b") static String[] array = new String[0];

    private DiscoveryApp() {
    }

    public static void main(String[] args) throws Exception {
        new ChangeReporter()
                .watch("all", () -> all)
                .watch("one", () -> one)
                .watch("array", () -> array)
                .run();
    }
}
