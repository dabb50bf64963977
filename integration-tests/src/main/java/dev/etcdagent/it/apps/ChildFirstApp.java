package dev.etcdagent.it.apps;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;

/**
 * A container in miniature: runs {@link ConfigApp} in a class loader that looks in its own class path
 * first, as a WAR's or Quarkus's loader does, with its own copy of the annotations jar among the
 * entries (the JVM's class path: the test applications and the API jar). It prints which loader
 * defined {@code dev.etcdagent.Dynamic}, so a test can check the application's copy was the one used.
 */
public final class ChildFirstApp {

    private ChildFirstApp() {
    }

    public static void main(String[] args) throws Exception {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = toUrl(entries[i]);
        }
        ChildFirstLoader loader = new ChildFirstLoader(urls, ChildFirstApp.class.getClassLoader());
        Class<?> app = Class.forName(ConfigApp.class.getName(), false, loader);
        boolean ownCopy = loader.loadClass("dev.etcdagent.Dynamic").getClassLoader() == loader;
        System.out.println("ANNOTATIONS FROM " + (ownCopy ? "the application's own jar" : "elsewhere"));
        app.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    }

    private static URL toUrl(String entry) {
        try {
            return Paths.get(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }

    /** Its own entries first, then the parent: the delegation order of servlet containers' web application loaders. */
    static final class ChildFirstLoader extends URLClassLoader {

        ChildFirstLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> type = findLoadedClass(name);
                if (type == null && !name.startsWith("java.")) {
                    try {
                        type = findClass(name);
                    } catch (ClassNotFoundException notOwn) {
                        // not among its own entries: the parent's, as below
                    }
                }
                if (type == null) {
                    type = super.loadClass(name, false);
                }
                if (resolve) {
                    resolveClass(type);
                }
                return type;
            }
        }
    }
}
