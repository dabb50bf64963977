package dev.etcdagent.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Adds {@code SpringContextHook.refreshed(this)} at the start of Spring's
 * {@code AbstractApplicationContext.finishRefresh()}: the one method every context (Spring Boot's,
 * a WAR's, a test's, Spring Framework 5 to 7) runs once its singletons exist. At the start, not the
 * end: the context's refreshed event, and the web server's start in Spring Boot, come after it, so the
 * hook's work (it only queues) is done before the first request can read a bean.
 */
final class SpringContextRewriter {

    static final String CONTEXT = "org/springframework/context/support/AbstractApplicationContext";
    private static final String HOOK = "dev/etcdagent/hooks/SpringContextHook";
    private static final int API = Opcodes.ASM9;

    private SpringContextRewriter() {
    }

    static byte[] rewrite(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!"finishRefresh".equals(name) || !"()V".equals(descriptor)) {
                    return next;
                }
                return new MethodVisitor(API, next) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        mv.visitVarInsn(Opcodes.ALOAD, 0);
                        mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "refreshed", "(Ljava/lang/Object;)V", false);
                    }

                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        super.visitMaxs(Math.max(maxStack, 1), maxLocals);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }
}
