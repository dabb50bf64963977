package dev.etcdagent.agent.boot;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

import net.bytebuddy.jar.asm.ClassReader;

/**
 * The jars nested in the agent jar beside {@code dev/etcdagent/agent/}: classes the agent's own class
 * loader must never define, because they belong in another loader (the bootstrap loader's hooks and
 * annotations, the Spring helpers an application's loader defines).
 */
public final class NestedJar {

    private NestedJar() {
    }

    public static InputStream open(String nested) {
        InputStream in = NestedJar.class.getResourceAsStream("/dev/etcdagent/agent/" + nested);
        if (in == null) {
            throw new IllegalStateException("the agent jar lacks " + nested + "; rebuild it");
        }
        return in;
    }

    /** Binary class name to class file bytes, in the jar's order. */
    public static Map<String, byte[]> classes(String nested) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarInputStream jar = new JarInputStream(open(nested))) {
            for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")
                        && !name.endsWith("package-info.class")) {
                    classes.put(name.substring(0, name.length() - 6).replace('/', '.'), jar.readAllBytes());
                }
            }
        }
        return classes;
    }

    /**
     * The same classes, each after its superclass and interfaces among them: defining a class resolves
     * its supertypes through the loader at once, and the loader knows only those already defined.
     */
    public static Map<String, byte[]> supertypesFirst(Map<String, byte[]> classes) {
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        for (String name : classes.keySet()) {
            addAfterSupertypes(name, classes, ordered);
        }
        return ordered;
    }

    private static void addAfterSupertypes(String name, Map<String, byte[]> classes, Map<String, byte[]> ordered) {
        byte[] bytes = classes.get(name);
        if (bytes == null || ordered.containsKey(name)) {
            return;
        }
        ClassReader reader = new ClassReader(bytes);
        if (reader.getSuperName() != null) {
            addAfterSupertypes(reader.getSuperName().replace('/', '.'), classes, ordered);
        }
        for (String type : reader.getInterfaces()) {
            addAfterSupertypes(type.replace('/', '.'), classes, ordered);
        }
        ordered.put(name, bytes);
    }
}
