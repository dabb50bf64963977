package dev.etcdagent.it.matrix;

import java.nio.file.Path;
import java.util.function.IntFunction;

import dev.etcdagent.it.launch.AgentJvm;

/** A matrix case launched as {@code java [-javaagent:…] -Dmatrix.property=jvm -jar app.jar <args for the port>}. */
public final class ExecutableJarCase implements MatrixCase {

    private final String name;
    private final String java;
    private final Path jar;
    private final ValuesProbe probe;
    private final IntFunction<String[]> argsForPort;
    private final String portProperty;

    ExecutableJarCase(String name, String java, Path jar, ValuesProbe probe, IntFunction<String[]> argsForPort) {
        this(name, java, jar, probe, argsForPort, null);
    }

    private ExecutableJarCase(String name, String java, Path jar, ValuesProbe probe, IntFunction<String[]> argsForPort,
                              String portProperty) {
        this.name = name;
        this.java = java;
        this.jar = jar;
        this.probe = probe;
        this.argsForPort = argsForPort;
        this.portProperty = portProperty;
    }

    /** The same case, told its port by this system property ({@code -Dquarkus.http.port=…}). */
    ExecutableJarCase withSystemProperty(String property) {
        return new ExecutableJarCase(name, java, jar, probe, argsForPort, property);
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
        builder.java(java).jvmArg("-D" + PROPERTY + "=" + PROPERTY_JVM);
        if (portProperty != null) {
            builder.jvmArg("-D" + portProperty + "=" + port);
        }
        return builder.jar(jar.toString()).args(argsForPort.apply(port));
    }

    @Override
    public String toString() {
        return name;
    }
}
