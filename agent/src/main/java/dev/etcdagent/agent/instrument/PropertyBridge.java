package dev.etcdagent.agent.instrument;

import java.util.List;
import java.util.Set;

import dev.etcdagent.agent.convert.Values;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.values.ValueListener;
import dev.etcdagent.agent.values.ValueOutcomes;
import dev.etcdagent.hooks.PropertyOverlay;

/**
 * Lays the configuration prefix's keys over the JVM's system properties: {@code {config}/{name}}
 * answers {@code System.getProperty(name)} while it exists. JDK-owned names are never overridden,
 * whatever etcd holds: the JDK caches many of them and relies on the rest, and some steer where its
 * connections go and what it trusts, which nobody who may write a configuration key should decide.
 */
public final class PropertyBridge implements ValueListener {

    /**
     * The JDK's own namespaces, then the names it reads outside them: proxies and networking (the
     * proxy selector reads these on every connection), TLS, JNDI and JMX.
     */
    private static final List<String> JDK_OWNED = List.of(
            "java.", "jdk.", "sun.", "javax.", "os.", "user.", "file.", "line.", "path.",
            "http.", "https.", "ftp.", "ftpProxy", "socksProxy", "socksNonProxyHosts", "networkaddress.",
            "com.sun.", "jsse.", "jmx.");
    /** The default proxy of every protocol, and the XML parsers' entity limits under their old names. */
    private static final Set<String> JDK_OWNED_NAMES = Set.of(
            "proxyHost", "proxyPort", "proxySet", "entityExpansionLimit", "elementAttributeLimit", "maxOccurLimit");

    private final String prefix;
    private final PropertyOverlay overlay;
    private final ValueOutcomes outcomes;

    PropertyBridge(String prefix, PropertyOverlay overlay, ValueOutcomes outcomes) {
        this.prefix = prefix;
        this.overlay = overlay;
        this.outcomes = outcomes;
    }

    /** Installs the overlay as the JVM's system properties; cheap enough for premain. */
    public static PropertyBridge install(String configPrefix, ValueOutcomes outcomes) {
        PropertyOverlay overlay = new PropertyOverlay(System.getProperties());
        System.setProperties(overlay);
        return new PropertyBridge(configPrefix + "/", overlay, outcomes);
    }

    /** The overlay installed as the JVM's system properties. */
    public PropertyOverlay overlay() {
        return overlay;
    }

    /** Whether the JDK reads {@code name} itself, so that etcd never overrides it. */
    public static boolean isJdkOwned(String name) {
        if (JDK_OWNED_NAMES.contains(name)) {
            return true;
        }
        for (String owned : JDK_OWNED) {
            if (name.startsWith(owned)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void changed(Change change, String oldValue) {
        if (!change.key.startsWith(prefix)) {
            return;
        }
        String name = change.key.substring(prefix.length());
        if (name.isEmpty()) {
            return;
        }
        String property = "System.getProperty(\"" + name + "\")";
        if (isJdkOwned(name)) {
            if (change.isDelete()) {
                outcomes.applied(change.key, change.revision, property);
                return;
            }
            outcomes.rejected(change.key, change.revision, property, "a JDK-owned name, never overridden from etcd");
            AgentLog.warn(change.key + ": not applied: " + name + " is a JDK-owned system property, which etcd"
                    + " never overrides (the JDK's networking, proxy, TLS, JNDI and logging names among them); if"
                    + " this JVM needs it, pass -D" + name + "=... on its command line");
            return;
        }
        if (change.malformed) {
            AgentLog.warn(change.key + ": value is not valid UTF-8, not applied to System.getProperty(\"" + name
                    + "\"); put the value as UTF-8 text");
            outcomes.rejected(change.key, change.revision, property, "not valid UTF-8");
            return;
        }
        String before = overlay.getProperty(name);
        overlay.override(name, change.value);
        String after = overlay.getProperty(name);
        outcomes.applied(change.key, change.revision, property);
        AgentLog.info(change.key + ": " + show(before) + " -> " + show(after)
                + (change.isDelete() ? " (deleted: the JVM's own value)" : "")
                + " (revision " + change.revision + ") -> System.getProperty(\"" + name + "\")");
    }

    private static String show(String value) {
        return value == null ? "null" : Values.abbreviate(value, 200);
    }
}
