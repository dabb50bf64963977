package dev.etcdagent.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Makes the agent's shaded protobuf run without {@code sun.misc.Unsafe}: its {@code UnsafeUtil.getUnsafe()}
 * returns {@code null}, the case protobuf handles for platforms without Unsafe. From JDK 24 the JVM
 * prints four {@code WARNING} lines into the application's stderr at protobuf's first
 * {@code Unsafe.arrayBaseOffset} call, and protobuf has no setting to avoid it. The agent's messages
 * are small; the safe code paths cost it nothing measurable. The application's own protobuf is untouched.
 */
public final class ProtobufWithoutUnsafe {

    static final String UNSAFE_UTIL = "dev/etcdagent/shaded/com/google/protobuf/UnsafeUtil";
    private static final int API = Opcodes.ASM9;

    private ProtobufWithoutUnsafe() {
    }

    /**
     * The same rewrite as a transformer of its own, for the operator's tool: {@code java -jar
     * etcd-agent.jar} loads the same shaded protobuf, and its output must stay the tool's own.
     */
    public static ClassFileTransformer transformer() {
        return new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                    ProtectionDomain protectionDomain, byte[] classfileBuffer) {
                return UNSAFE_UTIL.equals(className) ? rewrite(classfileBuffer) : null;
            }
        };
    }

    static byte[] rewrite(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!"getUnsafe".equals(name) || !"()Lsun/misc/Unsafe;".equals(descriptor)) {
                    return method;
                }
                method.visitCode();
                method.visitInsn(Opcodes.ACONST_NULL);
                method.visitInsn(Opcodes.ARETURN);
                method.visitMaxs(1, 0);
                method.visitEnd();
                return null;
            }
        }, 0);
        return writer.toByteArray();
    }
}
