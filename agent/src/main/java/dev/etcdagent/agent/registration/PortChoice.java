package dev.etcdagent.agent.registration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which of the JVM's listeners is the application's, when {@code port=} does not say: servers open
 * several close together (WildFly its HTTP listener and its management interface within
 * milliseconds), and the first bind is a race. The rule, decided from what the JVM was told at start:
 *
 * <ol>
 *   <li>never a port the JVM names as management, admin, debug or JMX: {@code jboss.management.http.port}
 *       and {@code jboss.management.https.port} (9990 and 9993 under JBoss Modules when not given),
 *       {@code management.server.port}, {@code quarkus.management.port},
 *       {@code com.sun.management.jmxremote.port} and {@code .rmi.port} (system properties, the
 *       application's {@code --name=port} arguments, or environment variables), and a JDWP {@code address=};</li>
 *   <li>the port the JVM names as the application's HTTP port ({@code jboss.http.port}, 8080 under JBoss
 *       Modules when not given; {@code server.port}; {@code quarkus.http.port};
 *       {@code micronaut.server.port}) wins whenever it binds;</li>
 *   <li>otherwise the first listener opened; when another opens within {@link #SETTLE_NANOS} of it, the
 *       lower port of the two (servers open their application port and their admin ports close together,
 *       in no fixed order, and the application's is usually the lower one).</li>
 * </ol>
 */
final class PortChoice {

    /** Listeners opened this close together are one server's: the rule, not their order, decides. */
    static final long SETTLE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);

    private static final List<String> MANAGEMENT = List.of("jboss.management.http.port",
            "jboss.management.https.port", "management.server.port", "quarkus.management.port",
            "com.sun.management.jmxremote.port", "com.sun.management.jmxremote.rmi.port");
    private static final List<String> APPLICATION = List.of("jboss.http.port", "server.port", "quarkus.http.port",
            "micronaut.server.port");

    /** Port to what names it, for the INFO lines. */
    final Map<Integer, String> excluded = new LinkedHashMap<>();
    /** The application's port as the JVM names it, or 0. */
    final int preferred;
    final String preferredBy;

    private PortChoice(int preferred, String preferredBy) {
        this.preferred = preferred;
        this.preferredBy = preferredBy;
    }

    /**
     * @param property  a system property's value, or null
     * @param variable  an environment variable's value, or null
     * @param jvmArgs   the process's arguments (JDWP's options, and the application's {@code --name=port})
     * @param jbossModules whether JBoss Modules runs the JVM (its defaults apply)
     */
    static PortChoice of(Function<String, String> property, Function<String, String> variable, List<String> jvmArgs,
                         boolean jbossModules) {
        int preferred = 0;
        String preferredBy = null;
        for (String name : APPLICATION) {
            int port = port(property, variable, jvmArgs, name);
            if (port > 0) {
                preferred = port;
                preferredBy = name;
                break;
            }
        }
        if (preferred == 0 && jbossModules) {
            preferred = 8080;
            preferredBy = "WildFly's default HTTP port";
        }
        PortChoice choice = new PortChoice(preferred, preferredBy);
        for (String name : MANAGEMENT) {
            int port = port(property, variable, jvmArgs, name);
            if (port > 0) {
                choice.excluded.put(port, name);
            }
        }
        if (jbossModules) {
            choice.excluded.putIfAbsent(9990, "WildFly's default management port");
            choice.excluded.putIfAbsent(9993, "WildFly's default secure management port");
        }
        for (int port : jdwpPorts(jvmArgs)) {
            choice.excluded.putIfAbsent(port, "the JDWP debug agent");
        }
        choice.excluded.remove(preferred);
        return choice;
    }

    /** Whether a listener on {@code port} may be registered at all. */
    boolean accepts(int port) {
        return !excluded.containsKey(port);
    }

    /**
     * Whether a listener on {@code port} should replace one registered on {@code current}, opened
     * {@code sinceCurrentNanos} before it.
     */
    boolean prefers(int port, int current, long sinceCurrentNanos) {
        if (preferred != 0) {
            return port == preferred && current != preferred;
        }
        return sinceCurrentNanos < SETTLE_NANOS && port < current;
    }

    private static int port(Function<String, String> property, Function<String, String> variable, List<String> args,
                            String name) {
        String text = property.apply(name);
        if (text == null) {
            // Spring Boot's and Micronaut's command-line form, --server.port=8080, as operators pass it.
            for (String arg : args) {
                if (arg.startsWith("--" + name + "=")) {
                    text = arg.substring(name.length() + 3);
                }
            }
        }
        if (text == null) {
            text = variable.apply(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return parsePort(text);
    }

    private static int parsePort(String text) {
        if (text == null) {
            return 0;
        }
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.length() > 5) {
            return 0;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (trimmed.charAt(i) < '0' || trimmed.charAt(i) > '9') {
                return 0;
            }
        }
        int port = Integer.parseInt(trimmed);
        return port <= 65535 ? port : 0;
    }

    /** The ports of {@code -agentlib:jdwp=...address=[host:]port} and {@code -Xrunjdwp:...}. */
    static List<Integer> jdwpPorts(List<String> jvmArgs) {
        List<Integer> ports = new ArrayList<>();
        for (String arg : jvmArgs) {
            if (!arg.startsWith("-agentlib:jdwp=") && !arg.startsWith("-Xrunjdwp:")) {
                continue;
            }
            for (String option : arg.substring(arg.indexOf(arg.startsWith("-X") ? ':' : '=') + 1).split(",")) {
                if (option.startsWith("address=")) {
                    String address = option.substring("address=".length());
                    int port = parsePort(address.substring(address.lastIndexOf(':') + 1));
                    if (port > 0) {
                        ports.add(port);
                    }
                }
            }
        }
        return ports;
    }
}
