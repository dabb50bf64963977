package dev.etcdagent.it.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Classes {@code Generated0} … compiled at run time, each with one {@code @Dynamic} field
 * {@code value} (declared {@code "declared"}) on its own absolute key {@code <keyPrefix><i>}: as many
 * annotated classes as a test needs, for {@code apps.ClassLoadingApp} to load.
 */
public final class GeneratedClasses {

    private GeneratedClasses() {
    }

    /** Compiles {@code count} classes into a new temporary directory and returns it. */
    public static Path compile(int count, String keyPrefix) throws IOException {
        Path dir = Files.createTempDirectory("generated-classes-");
        List<String> arguments = new ArrayList<>(List.of("--release", "11", "-d", dir.toString(),
                "-cp", dev.etcdagent.Dynamic.class.getProtectionDomain().getCodeSource().getLocation().getPath()));
        for (int i = 0; i < count; i++) {
            Path source = dir.resolve("Generated" + i + ".java");
            Files.writeString(source, "public class Generated" + i + " {\n"
                    + "    @dev.etcdagent.Dynamic(\"" + keyPrefix + i + "\") public static String value = \"declared\";\n"
                    + "}\n");
            arguments.add(source.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home") + ": run on a JDK");
        }
        if (compiler.run(null, null, null, arguments.toArray(new String[0])) != 0) {
            throw new IllegalStateException("javac of the generated classes in " + dir + " failed");
        }
        return dir;
    }

    /** Deletes a directory {@link #compile} made. */
    public static void delete(Path dir) {
        EtcdServer.deleteTree(dir);
    }
}
