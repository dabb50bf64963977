package dev.etcdagent.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads and initialises classes {@code Generated0} … {@code Generated<n-1>} from a directory
 * (compiled by the test, each with a {@code @Dynamic} field {@code value} on an absolute key) once
 * told {@code load} on stdin, and prints {@code LOADED n IN ms}. Then reports the first two
 * classes' values as they change, through {@link ChangeReporter}.
 */
public final class ClassLoadingApp {

    private ClassLoadingApp() {
    }

    public static void main(String[] args) throws Exception {
        URL classes = Paths.get(args[0]).toUri().toURL();
        int count = Integer.parseInt(args[1]);
        System.out.println("WAITING");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (!"load".equals(in.readLine())) {
            // wait for the test's word
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoadingApp.class.getClassLoader());
        List<Field> fields = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            fields.add(Class.forName("Generated" + i, true, loader).getField("value"));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("LOADED " + count + " IN " + millis + " ms");
        new ChangeReporter()
                .watch("first", () -> read(fields.get(0)))
                .watch("second", () -> read(fields.get(1)))
                .run();
    }

    private static Object read(Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
