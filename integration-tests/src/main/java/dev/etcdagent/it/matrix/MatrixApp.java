package dev.etcdagent.it.matrix;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.it.launch.AgentJvm;

/**
 * A matrix case built by a module under {@code integration-tests/apps}: its {@code target/app.jar} and
 * {@code target/lib/*} on the class path, started as {@code mainClass <port> argsAfterPort...}.
 */
public final class MatrixApp implements MatrixCase {

    private final String name;
    private final String module;
    private final String mainClass;
    private final ValuesProbe probe;
    private final List<String> argsAfterPort;

    private MatrixApp(String name, String module, String mainClass, ValuesProbe probe, List<String> argsAfterPort) {
        this.name = name;
        this.module = module;
        this.mainClass = mainClass;
        this.probe = probe;
        this.argsAfterPort = argsAfterPort;
    }

    public static MatrixApp of(String name, String module, String mainClass, ValuesProbe probe, String... argsAfterPort) {
        return new MatrixApp(name, module, mainClass, probe, List.of(argsAfterPort));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValuesProbe probe() {
        return probe;
    }

    @Override
    public AgentJvm.Builder launcher(String agentArgs, int port) {
        AgentJvm.Builder builder = agentArgs == null ? AgentJvm.withoutAgent() : AgentJvm.withAgent(agentArgs);
        Path dir = moduleDir();
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(port));
        args.addAll(argsAfterPort);
        return builder.withoutAppClasses()
                .classpathEntry(dir.resolve("target/app.jar") + File.pathSeparator + dir.resolve("target/lib") + File.separator + "*")
                .jvmArg("-D" + PROPERTY + "=" + PROPERTY_JVM)
                .main(mainClass)
                .args(args.toArray(new String[0]));
    }

    /** The module's directory: under it.matrix.apps (set by the build), else integration-tests/apps. */
    private Path moduleDir() {
        Path apps = Paths.get(System.getProperty("it.matrix.apps", "integration-tests/apps"));
        Path dir = apps.resolve(module).toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("target/app.jar"))) {
            throw new IllegalStateException(dir.resolve("target/app.jar") + " is missing: build the reactor"
                    + " (mvn -B verify -pl integration-tests -am) so that the matrix applications are packaged");
        }
        return dir;
    }

    @Override
    public String toString() {
        return name;
    }
}
