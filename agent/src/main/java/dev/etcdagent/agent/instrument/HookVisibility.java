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
final class HookVisibility {

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
                        + loader + " " + problem + "; let that loader delegate the package dev.etcdagent.hooks to the"
                        + " bootstrap class loader (OSGi: -Dorg.osgi.framework.bootdelegation=dev.etcdagent.hooks)");
            }
        }
        return problem == null;
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
