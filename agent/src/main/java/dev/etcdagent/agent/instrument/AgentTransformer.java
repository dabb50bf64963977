package dev.etcdagent.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

import dev.etcdagent.agent.log.AgentLog;

/**
 * The agent's one class transformer. It rewrites the JDK's two server-socket classes (to learn the
 * listening port), the classes that declare {@code @Dynamic} or {@code @Discover} fields, Spring's
 * application context (see {@link SpringContextRewriter}), and one class of the agent's own protobuf
 * (see {@link ProtobufWithoutUnsafe}). Every
 * other class costs one scan of its bytes for the annotations' descriptors, and ASM is loaded only
 * when a class needs rewriting, so an application without annotations pays almost nothing.
 */
public final class AgentTransformer implements ClassFileTransformer {

    static final String SERVER_SOCKET = "java/net/ServerSocket";
    static final String SERVER_SOCKET_CHANNEL = "sun/nio/ch/ServerSocketChannelImpl";

    private final boolean watchSockets;
    private final boolean followSpring;
    private final HookVisibility hooks = new HookVisibility();

    /**
     * @param watchSockets whether to rewrite the server-socket classes (a service to register)
     * @param followSpring whether to rewrite Spring's application context (a configuration prefix to follow)
     */
    public AgentTransformer(boolean watchSockets, boolean followSpring) {
        this.watchSockets = watchSockets;
        this.followSpring = followSpring;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        try {
            if (loader == null) {
                if (watchSockets && (className.equals(SERVER_SOCKET) || className.equals(SERVER_SOCKET_CHANNEL))) {
                    return ServerSocketRewriter.rewrite(className, classfileBuffer);
                }
                return null;
            }
            if (className.equals(ProtobufWithoutUnsafe.UNSAFE_UTIL)) {
                return ProtobufWithoutUnsafe.rewrite(classfileBuffer);
            }
            if (followSpring && className.equals(SpringContextRewriter.CONTEXT)) {
                return hooks.reachableFrom(loader, className, protectionDomain,
                        "Spring's @Value members and @ConfigurationProperties beans keep their values from start-up")
                        ? SpringContextRewriter.rewrite(classfileBuffer) : null;
            }
            if (isAgentClass(className) || !AnnotationScan.mentionsAgentAnnotation(classfileBuffer)) {
                return null;
            }
            byte[] rewritten = AnnotatedClassRewriter.rewrite(className, classfileBuffer);
            if (rewritten == null || !hooks.reachableFrom(loader, className, protectionDomain,
                    "its @Dynamic/@Discover fields keep their declared values")) {
                return null;
            }
            return rewritten;
        } catch (Throwable error) {
            // Loading the class unchanged is always better than failing to load it.
            AgentLog.warn("class " + className.replace('/', '.') + " left unchanged: " + AgentLog.describe(error));
            return null;
        }
    }

    private static boolean isAgentClass(String className) {
        return className.startsWith("dev/etcdagent/agent/") || className.startsWith("dev/etcdagent/shaded/")
                || className.startsWith("dev/etcdagent/hooks/");
    }
}
