package dev.etcdagent.agent.instrument;

import java.nio.charset.StandardCharsets;

/**
 * Decides from a class's bytes alone whether it may declare agent-annotated fields: a field
 * annotation's descriptor sits in the constant pool as the UTF-8 text {@code Ldev/etcdagent/Dynamic;}
 * or {@code Ldev/etcdagent/Discover;}. A false positive only costs a closer look with ASM.
 */
final class AnnotationScan {

    private static final byte[] PREFIX = "Ldev/etcdagent/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DYNAMIC = "Dynamic;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DISCOVER = "Discover;".getBytes(StandardCharsets.US_ASCII);

    private AnnotationScan() {
    }

    static boolean mentionsAgentAnnotation(byte[] bytes) {
        byte first = PREFIX[0];
        int last = bytes.length - PREFIX.length - DYNAMIC.length;
        for (int i = 0; i <= last; i++) {
            if (bytes[i] == first && startsWith(bytes, i, PREFIX)) {
                int rest = i + PREFIX.length;
                if (startsWith(bytes, rest, DYNAMIC) || startsWith(bytes, rest, DISCOVER)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] pattern) {
        if (offset + pattern.length > bytes.length) {
            return false;
        }
        for (int j = 0; j < pattern.length; j++) {
            if (bytes[offset + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }
}
