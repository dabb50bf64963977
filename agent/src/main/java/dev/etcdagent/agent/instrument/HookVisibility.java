package dev.etcdagent.agent.instrument;

import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;

import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.hooks.ClassInitHook;

/**
 * Whether a class loader resolves the class-initialisation hook to the agent's copy in the bootstrap
 * class loader. Almost every loader does: the hook's package is in no jar an application can package,
 * so even child-first loaders end at the bootstrap loader. One that does not (an OSGi framework that
 * delegates only {@code java.*}) would fail the rewritten static initialiser with
 * {@code NoClassDefFoundError}; its classes are left unchanged instead, with one WARN per loader.
 */
public final class HookVisibility {

    /** JBoss Modules' list of packages every module loader takes from the JVM's class path (and so the bootstrap loader). */
    static final String JBOSS_SYSTEM_PACKAGES = "jboss.modules.system.pkgs";
    private static final String HOOKS = "dev.etcdagent.hooks";

    /**
     * In a JVM started by JBoss Modules (WildFly, JBoss EAP), adds the hooks' package to the packages
     * its module loaders delegate: premain runs before JBoss Modules reads the property, and without it
     * a deployment's loader cannot see the hook its rewritten classes call. Nothing else is added: the
     * agent reads the annotations from class bytes, and an application never sees any other class of it.
     */
    public static void openJBossModules() {
        String command = System.getProperty("sun.java.command", "");
        String packages = System.getProperty(JBOSS_SYSTEM_PACKAGES);
        if (packages == null && !command.contains("jboss-modules") && !command.startsWith("org.jboss.modules.Main")) {
            return;
        }
        if (packages == null || packages.isBlank()) {
            System.setProperty(JBOSS_SYSTEM_PACKAGES, HOOKS);
            return;
        }
        for (String listed : packages.split(",")) {
            if (listed.trim().equals(HOOKS) || listed.trim().equals("dev.etcdagent")) {
                return;
            }
        }
        System.setProperty(JBOSS_SYSTEM_PACKAGES, packages + "," + HOOKS);
    }

    // Answers per loader, held weakly so that a redeployed application's loader can be collected.
    private final Map<ClassLoader, Boolean> answers = new WeakHashMap<>();

    /** @param consequence what the application loses when the class is left unchanged, for the WARN */
    boolean reachableFrom(ClassLoader loader, String className, ProtectionDomain domain, String consequence) {
        synchronized (answers) {
            Boolean known = answers.get(loader);
            if (known != null) {
                return known;
            }
        }
        // Resolved outside the lock: loading may take the loader's own lock, which another thread
        // defining a class in it holds while it waits for ours.
        String problem = problemResolvingHook(loader);
        synchronized (answers) {
            if (answers.putIfAbsent(loader, problem == null) == null && problem != null) {
                AgentLog.warn("class " + className.replace('/', '.') + " (from " + location(domain) + ") is left"
                        + " unchanged and " + consequence + ": its class loader "
                        + loader + " " + problem + "; " + fixFor(loader));
            }
        }
        return problem == null;
    }

    /** The exact fix for this kind of loader. */
    static String fixFor(ClassLoader loader) {
        String type = loader.getClass().getName();
        if (type.startsWith("org.jboss.modules.")) {
            return "JBoss Modules: add dev.etcdagent.hooks to -D" + JBOSS_SYSTEM_PACKAGES + " (in standalone.conf,"
                    + " JBOSS_MODULES_SYSTEM_PKGS=\"org.jboss.byteman,dev.etcdagent.hooks\"); the agent adds it itself"
                    + " when it starts before JBoss Modules, as with -javaagent in JAVA_OPTS";
        }
        if (type.startsWith("org.eclipse.osgi.") || type.startsWith("org.apache.felix.")
                || type.contains(".osgi.")) {
            return "OSGi: -Dorg.osgi.framework.bootdelegation=dev.etcdagent.hooks";
        }
        return "let that loader delegate the package dev.etcdagent.hooks to the bootstrap class loader (JBoss Modules:"
                + " -D" + JBOSS_SYSTEM_PACKAGES + "=…,dev.etcdagent.hooks; OSGi:"
                + " -Dorg.osgi.framework.bootdelegation=dev.etcdagent.hooks)";
    }

    private static String problemResolvingHook(ClassLoader loader) {
        String name = ClassInitHook.class.getName();
        try {
            Class<?> seen = Class.forName(name, false, loader);
            if (seen == ClassInitHook.class) {
                return null;
            }
            return "resolves " + name + " to another copy, from " + location(seen.getProtectionDomain())
                    + " (remove that jar from the application)";
        } catch (ClassNotFoundException | LinkageError e) {
            return "cannot see " + name;
        }
    }

    private static String location(ProtectionDomain domain) {
        CodeSource source = domain == null ? null : domain.getCodeSource();
        URL url = source == null ? null : source.getLocation();
        return url == null ? "an unknown location" : url.toString();
    }
}
