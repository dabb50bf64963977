package dev.etcdagent.agent.boot;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Defines classes in a given class loader: the hooks in the bootstrap class loader at start, and later
 * the helpers that must link against an application's own classes (Spring's) in that application's
 * loader. Through {@link BootDefiner}, which alone may use {@code jdk.internal.misc}.
 */
public final class ClassDefiner {

    private final Method define;

    private ClassDefiner(Method define) {
        this.define = define;
    }

    /** Opens {@code jdk.internal.misc} to a private loader's {@link BootDefiner}, never to the class path. */
    public static ClassDefiner open(Instrumentation instrumentation) throws ReflectiveOperationException {
        Class<?> definer = new PrivateLoader(ClassDefiner.class.getClassLoader()).definer();
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(), Map.of(),
                Map.of("jdk.internal.misc", Set.of(definer.getModule())), Set.of(), Map.of());
        return new ClassDefiner(definer.getMethod("define", ClassLoader.class, Map.class));
    }

    /** Defines {@code classes} (binary name to bytes, supertypes first) in {@code loader}; null: the bootstrap loader. */
    public void define(ClassLoader loader, Map<String, byte[]> classes) throws ReflectiveOperationException {
        try {
            define.invoke(null, loader, classes);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof LinkageError) {
                throw (LinkageError) e.getCause();
            }
            throw e;
        }
    }
}
