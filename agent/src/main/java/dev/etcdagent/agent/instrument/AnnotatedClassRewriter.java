package dev.etcdagent.agent.instrument;

import java.util.HashSet;
import java.util.Set;

import dev.etcdagent.agent.fields.FieldAnnotations;
import dev.etcdagent.agent.log.AgentLog;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites a class that declares {@code @Dynamic} or {@code @Discover} static fields:
 * {@code final} is removed and {@code volatile} added on those fields (so that updates are seen by
 * every thread and never constant-folded by the JIT), and the static initialiser ends with a call
 * to {@code ClassInitHook.initialized(ThisClass.class, fields)}, where the agent binds the fields, so
 * that the first read after initialisation already sees etcd's value. {@code fields} lists the
 * annotated fields and their annotations' values as read here from the class's bytes
 * ({@link FieldAnnotations}): the agent never asks reflection for the annotations, which a class
 * loader that cannot see {@code dev.etcdagent.Dynamic} (a JBoss Modules deployment compiled against
 * the annotations jar with scope provided) would silently drop.
 *
 * <p>Uses the ASM that Byte Buddy bundles, directly: Byte Buddy's type pool and agent builder
 * would add about half a second to every JVM's start for two small, fixed rewrites.
 */
public final class AnnotatedClassRewriter {

    static final String DYNAMIC = "Ldev/etcdagent/Dynamic;";
    static final String DISCOVER = "Ldev/etcdagent/Discover;";
    private static final String HOOK = "dev/etcdagent/hooks/ClassInitHook";
    private static final int API = Opcodes.ASM9;

    private AnnotatedClassRewriter() {
    }

    static byte[] rewrite(String className, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        AnnotatedFields fields = new AnnotatedFields();
        reader.accept(fields, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (fields.annotated.isEmpty()) {
            return null;
        }
        if (fields.isInterface) {
            AgentLog.warn("interface " + className.replace('/', '.') + " has @Dynamic/@Discover fields, which are"
                    + " always constant in an interface: move them to a class");
            return null;
        }
        if ((fields.version & 0xFFFF) < Opcodes.V1_5) {
            AgentLog.warn("class " + className.replace('/', '.') + " is compiled for Java 1.4 or older:"
                    + " its @Dynamic/@Discover fields are left alone; recompile it for Java 5 or newer");
            return null;
        }
        for (String constant : fields.constants) {
            AgentLog.warn("field " + className.replace('/', '.') + "." + constant + " is a compile-time constant:"
                    + " javac copies its value into every reader, so it cannot follow etcd;"
                    + " drop 'final' or initialise it through a method call, e.g. = Integer.valueOf(5)");
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new Rewriter(writer, className, fields.annotated, fields.listed.text()), 0);
        return writer.toByteArray();
    }

    /** The annotated fields of a class of these bytes, as the hook is given them (for tests). */
    public static String fieldsOf(byte[] bytes) {
        AnnotatedFields fields = new AnnotatedFields();
        new ClassReader(bytes).accept(fields, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return fields.listed.text();
    }

    /** First pass: which static fields carry our annotations, and which of them javac inlines. */
    private static final class AnnotatedFields extends ClassVisitor {
        final Set<String> annotated = new HashSet<>();
        final Set<String> constants = new HashSet<>();
        /** Every annotated field, static or not, with its annotation's value. */
        final FieldAnnotations listed = new FieldAnnotations();
        boolean isInterface;
        int version;

        AnnotatedFields() {
            super(API);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            this.version = version;
            this.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            boolean isConstant = isStatic && (access & Opcodes.ACC_FINAL) != 0 && value != null;
            return new FieldVisitor(API) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    boolean dynamic = DYNAMIC.equals(annotation);
                    if (!dynamic && !DISCOVER.equals(annotation)) {
                        return null;
                    }
                    if (isStatic) {
                        annotated.add(name);
                        if (isConstant) {
                            constants.add(name);
                        }
                    }
                    return new AnnotationVisitor(API) {
                        private String value = "";

                        @Override
                        public void visit(String element, Object elementValue) {
                            if ("value".equals(element) && elementValue instanceof String) {
                                value = (String) elementValue;
                            }
                        }

                        @Override
                        public void visitEnd() {
                            listed.add(dynamic, name, value);
                        }
                    };
                }
            };
        }
    }

    /** Second pass: field flags, and the hook call at the end of the static initialiser. */
    private static final class Rewriter extends ClassVisitor {
        private final String className;
        private final Set<String> annotated;
        private final String fields;
        private boolean sawInitializer;

        Rewriter(ClassVisitor next, String className, Set<String> annotated, String fields) {
            super(API, next);
            this.className = className;
            this.annotated = annotated;
            this.fields = fields;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            int newAccess = access;
            if (annotated.contains(name)) {
                newAccess = (access & ~Opcodes.ACC_FINAL) | Opcodes.ACC_VOLATILE;
            }
            return super.visitField(newAccess, name, descriptor, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            if (!"<clinit>".equals(name)) {
                return next;
            }
            sawInitializer = true;
            return new MethodVisitor(API, next) {
                @Override
                public void visitInsn(int opcode) {
                    if (opcode == Opcodes.RETURN) {
                        callHook(mv);
                    }
                    super.visitInsn(opcode);
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    super.visitMaxs(Math.max(maxStack, 2), maxLocals);
                }
            };
        }

        @Override
        public void visitEnd() {
            if (!sawInitializer) {
                MethodVisitor initializer = super.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
                initializer.visitCode();
                callHook(initializer);
                initializer.visitInsn(Opcodes.RETURN);
                initializer.visitMaxs(2, 0);
                initializer.visitEnd();
            }
            super.visitEnd();
        }

        private void callHook(MethodVisitor method) {
            method.visitLdcInsn(Type.getObjectType(className));
            method.visitLdcInsn(fields);
            method.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "initialized", "(Ljava/lang/Class;Ljava/lang/String;)V",
                    false);
        }
    }
}
