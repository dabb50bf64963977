package dev.etcdagent.it.apps;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.etcdagent.Dynamic;

/** {@code @Dynamic} fields of many types and the property bridge, reported through {@link ChangeReporter}. */
public final class ConfigApp {

    public enum Level { LOW, MEDIUM, HIGH }

    @Dynamic("promo.enabled") static boolean enabled = false;
    @Dynamic("/global/discount") static int discount = 0;
    @Dynamic static Duration timeout = Duration.ofSeconds(2);
    @Dynamic("price") static BigDecimal price = new BigDecimal("9.99");
    @Dynamic("level") static Level level = Level.LOW;
    @Dynamic("names") static List<String> names = List.of("a");
    @Dynamic("ports") static final int[] ports = {80};
    @Dynamic("tags") static Set<String> tags = Set.of();
    @Dynamic("ratio") static Double ratio = 0.5;
    @Dynamic("greeting") static final String greeting = String.valueOf("hello");
    @Dynamic("constant") static final int constant = 5;
    @Dynamic("instance.field") int notStatic = 1;

    private ConfigApp() {
    }

    /** With the argument {@code listen} it also binds a server socket, so the agent registers it. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("listen")) {
            java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
            System.out.println("LISTENING " + server.getLocalPort());
        }
        new ChangeReporter()
                .watch("enabled", () -> enabled)
                .watch("discount", () -> discount)
                .watch("timeout", () -> timeout)
                .watch("price", () -> price)
                .watch("level", () -> level)
                .watch("names", () -> names)
                .watch("ports", () -> ports)
                .watch("tags", () -> tags)
                .watch("ratio", () -> ratio)
                .watch("greeting", () -> greeting)
                .watch("prop.feature", () -> System.getProperty("feature.x"))
                .watch("prop.default", () -> System.getProperty("feature.y", "fallback"))
                .watch("prop.boolean", () -> Boolean.getBoolean("flag.b"))
                .watch("prop.integer", () -> Integer.getInteger("limit.n"))
                .watch("prop.long", () -> Long.getLong("limit.l"))
                .watch("prop.properties", () -> System.getProperties().getProperty("feature.x"))
                .watch("prop.map", () -> System.getProperties().get("feature.x"))
                .watch("prop.names", () -> System.getProperties().stringPropertyNames().contains("feature.x"))
                .watch("prop.own", () -> System.getProperty("own.prop"))
                .watch("prop.java.version", () -> System.getProperty("java.version"))
                .watch("prop.user.name", () -> System.getProperty("user.name"))
                .run();
    }
}
