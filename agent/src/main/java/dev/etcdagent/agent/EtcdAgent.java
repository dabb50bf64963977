package dev.etcdagent.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import dev.etcdagent.agent.boot.ClassDefiner;
import dev.etcdagent.agent.boot.NestedJar;

/**
 * The {@code -javaagent} entry point. It does as little as possible: defines the bootstrap classes
 * (annotations and hooks) in the bootstrap class loader, then hands off to {@link AgentRuntime},
 * which installs the transformer and starts the etcd work on a daemon thread. Nothing it does may
 * stop the application from starting.
 *
 * <p>This class must not refer to any bootstrap class: they exist only once it has defined them.
 */
public final class EtcdAgent {

    /** Nested jars: the published annotations, and the hooks that no published jar contains. */
    private static final List<String> BOOTSTRAP_JARS = List.of("etcd-agent-bootstrap.jar.bin",
            "etcd-agent-hooks.jar.bin");

    private EtcdAgent() {
    }

    public static void premain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation);
    }

    public static void agentmain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation);
    }

    private static void start(String agentArgs, Instrumentation instrumentation) {
        try {
            ClassDefiner definer = defineBootstrapClasses(instrumentation);
            AgentRuntime.start(agentArgs, instrumentation, definer);
        } catch (Throwable error) {
            System.err.println("[etcd-agent] ERROR the agent did not start (" + error
                    + "); the application runs without it");
        }
    }

    /**
     * Defines the bootstrap classes in the bootstrap class loader. Defining them directly keeps
     * class-data sharing on for the application's classes: appending a jar to the bootstrap class
     * path would switch it off and make the JVM print a warning on standard output.
     *
     * @return the definer, for classes the agent later defines in an application's class loader; null
     *         where it could not be opened (the bootstrap classes then come from a jar on the bootstrap path)
     */
    private static ClassDefiner defineBootstrapClasses(Instrumentation instrumentation) throws Exception {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String nested : BOOTSTRAP_JARS) {
            classes.putAll(NestedJar.classes(nested));
        }
        try {
            ClassDefiner definer = ClassDefiner.open(instrumentation);
            definer.define(null, classes);
            return definer;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            appendBootstrapJar(instrumentation);
            return null;
        }
    }

    /** The fallback: the embedded jars, copied to private temp files, on the bootstrap class path. */
    private static void appendBootstrapJar(Instrumentation instrumentation) throws IOException {
        for (String nested : BOOTSTRAP_JARS) {
            Path jar = Files.createTempFile("etcd-agent-bootstrap", ".jar");
            File file = jar.toFile();
            file.deleteOnExit();
            try (InputStream in = NestedJar.open(nested)) {
                Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
            }
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(file));
        }
    }
}
