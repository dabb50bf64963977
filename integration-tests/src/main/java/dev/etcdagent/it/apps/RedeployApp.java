package dev.etcdagent.it.apps;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.nio.file.Paths;
import java.util.Objects;

/**
 * A container redeploying a web application: a child-first loader (as servlet containers use)
 * loads and initialises {@code redeploy.DeployedConfig} itself, is undeployed (dropped), and a second
 * deployment loads it again in a fresh loader. Prints {@code DEPLOYED 1 value=…}, then
 * {@code COLLECTED} once a weak reference to the first loader clears after {@code System.gc()}
 * (or {@code NOT COLLECTED} after 20 s), then {@code DEPLOYED 2 value=…}, then
 * {@code VALUE value=…} each time the live deployment's field changes.
 */
public final class RedeployApp {

    /** By name: a class literal would load it in this JVM's application loader too. */
    private static final String DEPLOYED_CLASS = "dev.etcdagent.it.apps.redeploy.DeployedConfig";

    private RedeployApp() {
    }

    public static void main(String[] args) throws Exception {
        WeakReference<ClassLoader> undeployed = deployAndUndeploy();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (undeployed.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        System.out.println(undeployed.get() == null ? "COLLECTED" : "NOT COLLECTED");

        Class<?> live = deploy(2);
        String seen = read(live);
        while (true) {
            String now = read(live);
            if (!Objects.equals(now, seen)) {
                seen = now;
                System.out.println("VALUE value=" + now);
            }
            Thread.sleep(5);
        }
    }

    /** In its own method, so that no frame of main keeps the first deployment reachable. */
    private static WeakReference<ClassLoader> deployAndUndeploy() throws Exception {
        Class<?> first = deploy(1);
        return new WeakReference<>(first.getClassLoader());
    }

    private static Class<?> deploy(int generation) throws Exception {
        URL classes = Paths.get(RedeployApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toUri().toURL();
        ClassLoader loader = new ChildFirstApp.ChildFirstLoader(new URL[] {classes}, RedeployApp.class.getClassLoader());
        Class<?> config = Class.forName(DEPLOYED_CLASS, true, loader);
        if (config.getClassLoader() != loader) {
            throw new IllegalStateException("the deployment's loader did not load " + config.getName() + " itself");
        }
        System.out.println("DEPLOYED " + generation + " value=" + read(config));
        return config;
    }

    private static String read(Class<?> config) throws Exception {
        return (String) config.getMethod("value").invoke(null);
    }
}
