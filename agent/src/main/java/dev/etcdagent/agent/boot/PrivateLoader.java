package dev.etcdagent.agent.boot;

import java.io.IOException;
import java.io.InputStream;

/**
 * A class loader that defines {@link BootDefiner} itself, in its own unnamed module, rather than
 * delegating to the application class loader (which would define it in the class path's unnamed
 * module, shared with every application class). Nothing outside the agent holds this loader.
 */
public final class PrivateLoader extends ClassLoader {

    private static final String DEFINER = "dev.etcdagent.agent.boot.BootDefiner";

    public PrivateLoader(ClassLoader parent) {
        super(parent);
    }

    /** The definer class, defined by this loader. */
    public Class<?> definer() throws ClassNotFoundException {
        return loadClass(DEFINER);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!DEFINER.equals(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = findClass(name);
            }
            return loaded;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (!DEFINER.equals(name)) {
            throw new ClassNotFoundException(name);
        }
        try (InputStream in = PrivateLoader.class.getResourceAsStream("BootDefiner.class")) {
            if (in == null) {
                throw new ClassNotFoundException(name + " is missing from the agent jar");
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
