package dev.etcdagent.agent.boot;

import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;

/**
 * Defines classes in the bootstrap class loader, or in an application's, with {@code jdk.internal.misc.Unsafe}. It is loaded
 * by a class loader of its own ({@link PrivateLoader}), and only that loader's unnamed module is
 * given access to {@code jdk.internal.misc}: no class on the application's class path, where the
 * agent jar sits, gains it.
 */
public final class BootDefiner {

    private BootDefiner() {
    }

    /**
     * Defines each class (binary name to class file bytes) in {@code loader}, null for the bootstrap
     * class loader, in the map's order (a class's supertypes first).
     */
    public static void define(ClassLoader loader, Map<String, byte[]> classes) throws ReflectiveOperationException {
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (Map.Entry<String, byte[]> type : classes.entrySet()) {
            byte[] bytes = type.getValue();
            define.invoke(unsafe, type.getKey(), bytes, 0, bytes.length, loader, null);
        }
    }
}
