package dev.etcdagent.it.apps;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Test applications report what they see on stdout: {@code INITIAL name=value} for each watched
 * value as main starts, then {@code VALUE name=value} each time one changes (polled every 2 ms),
 * so a test waits for a line instead of sleeping.
 */
public final class ChangeReporter {

    private final Map<String, Supplier<Object>> sources = new LinkedHashMap<>();
    private final Map<String, String> last = new LinkedHashMap<>();

    public ChangeReporter watch(String name, Supplier<Object> source) {
        sources.put(name, source);
        return this;
    }

    /** Prints the initial values, then reports changes until the JVM is stopped. */
    public void run() throws InterruptedException {
        for (Map.Entry<String, Supplier<Object>> source : sources.entrySet()) {
            String value = show(source.getValue().get());
            last.put(source.getKey(), value);
            System.out.println("INITIAL " + source.getKey() + "=" + value);
        }
        System.out.println("READY");
        while (true) {
            for (Map.Entry<String, Supplier<Object>> source : sources.entrySet()) {
                String value = show(source.getValue().get());
                if (!Objects.equals(value, last.get(source.getKey()))) {
                    last.put(source.getKey(), value);
                    System.out.println("VALUE " + source.getKey() + "=" + value);
                }
            }
            Thread.sleep(2);
        }
    }

    static String show(Object value) {
        if (value instanceof Object[]) {
            return java.util.Arrays.toString((Object[]) value);
        }
        if (value instanceof int[]) {
            return java.util.Arrays.toString((int[]) value);
        }
        return String.valueOf(value);
    }
}
