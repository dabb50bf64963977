package dev.etcdagent.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Adds two calls to the JDK's server sockets: {@code ServerSocketHook.bound(this)} when
 * {@code bind} returns normally, and {@code ServerSocketHook.closed(this)} when closing begins.
 * {@code java.net.ServerSocket} covers plain sockets; {@code sun.nio.ch.ServerSocketChannelImpl}
 * covers NIO (Jetty, Tomcat, Netty NIO, the JDK's HttpServer) and the channel's socket adaptor.
 */
final class ServerSocketRewriter {

    private static final String HOOK = "dev/etcdagent/hooks/ServerSocketHook";
    private static final int API = Opcodes.ASM9;

    private ServerSocketRewriter() {
    }

    static byte[] rewrite(String className, byte[] bytes) {
        boolean channel = AgentTransformer.SERVER_SOCKET_CHANNEL.equals(className);
        String bindDescriptor = channel
                ? "(Ljava/net/SocketAddress;I)Ljava/nio/channels/ServerSocketChannel;"
                : "(Ljava/net/SocketAddress;I)V";
        String closeName = channel ? "implCloseSelectableChannel" : "close";
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ("bind".equals(name) && bindDescriptor.equals(descriptor)) {
                    return new HookCalls(next, "bound", false);
                }
                if (closeName.equals(name) && "()V".equals(descriptor)) {
                    return new HookCalls(next, "closed", true);
                }
                return next;
            }
        }, 0);
        return writer.toByteArray();
    }

    /** Calls the hook with {@code this} at the start, or before every normal return. */
    private static final class HookCalls extends MethodVisitor {
        private final String hook;
        private final boolean atStart;

        HookCalls(MethodVisitor next, String hook, boolean atStart) {
            super(API, next);
            this.hook = hook;
            this.atStart = atStart;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (atStart) {
                call();
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (!atStart && (opcode == Opcodes.RETURN || opcode == Opcodes.ARETURN)) {
                call();
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 1, maxLocals);
        }

        private void call() {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, hook, "(Ljava/lang/Object;)V", false);
        }
    }
}
