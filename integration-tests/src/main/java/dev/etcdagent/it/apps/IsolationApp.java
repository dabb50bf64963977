package dev.etcdagent.it.apps;

/**
 * Prints, for each library the agent bundles, where the application gets it from:
 * {@code LIB <class> <jar or MISSING>}. With the application's own copies on its class path each
 * must come from them; without, each must be missing (the agent's copies are invisible).
 */
public final class IsolationApp {

    private static final String[] LIBRARIES = {
        "com.google.common.collect.ImmutableList",
        "io.netty.buffer.ByteBuf",
        "io.grpc.ManagedChannel",
        "com.fasterxml.jackson.core.JsonFactory",
        "org.slf4j.LoggerFactory",
        "io.etcd.jetcd.Client",
        "io.vertx.core.Vertx",
        "net.bytebuddy.ByteBuddy",
        "net.bytebuddy.jar.asm.ClassReader",
        "dev.failsafe.Failsafe",
        "io.perfmark.PerfMark",
        "com.google.protobuf.Message",
    };

    private IsolationApp() {
    }

    public static void main(String[] args) throws Exception {
        for (String name : LIBRARIES) {
            String where;
            try {
                Class<?> type = Class.forName(name);
                where = String.valueOf(type.getProtectionDomain().getCodeSource().getLocation());
            } catch (ClassNotFoundException e) {
                where = "MISSING";
            }
            System.out.println("LIB " + name + " " + where);
        }
        // The agent defines its hooks with the JDK's internal Unsafe: that access must not be ours too.
        try {
            Class.forName("jdk.internal.misc.Unsafe").getMethod("getUnsafe").invoke(null);
            System.out.println("INTERNAL UNSAFE REACHABLE");
        } catch (IllegalAccessException e) {
            System.out.println("INTERNAL UNSAFE DENIED");
        }
        System.out.println("DONE");
    }
}
