package dev.etcdagent.it.matrix;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import dev.etcdagent.it.launch.AgentJvm;

/**
 * A WAR on standalone Tomcat as operators run it: {@code catalina.sh run}, the agent in {@code CATALINA_OPTS}, a
 * fresh CATALINA_BASE ({@link TomcatServer}) for each launch, the web application at {@code /probe}.
 */
public final class TomcatCase implements MatrixCase {

    /** The web application's context path. */
    public static final String CONTEXT = "/probe";

    private final String name;
    private final String java;
    private final Path war;
    private TomcatServer last;

    TomcatCase(String name, String java, Path war) {
        this.name = name;
        this.java = java;
        this.war = war;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValuesProbe probe() {
        return ValuesProbe.http(CONTEXT + "/probe");
    }

    /** {@code catalina.sh run} on a new CATALINA_BASE whose connector listens on {@code port}. */
    @Override
    public AgentJvm.Builder launcher(String agentArgs, int port) {
        last = TomcatServer.create(port, CONTEXT.substring(1), war);
        return AgentJvm.withoutAgent()
                .env("CATALINA_HOME", last.home().toString())
                .env("CATALINA_BASE", last.base().toString())
                .env("JAVA_HOME", Paths.get(java).toAbsolutePath().getParent().getParent().toString())
                .env("JAVA_OPTS", "-D" + PROPERTY + "=" + PROPERTY_JVM)
                .env("CATALINA_OPTS", agentArgs == null ? "" : "-javaagent:" + AgentJvm.agentJar() + "=" + agentArgs)
                .launcher(List.of("sh", last.home().resolve("bin/catalina.sh").toString(), "run"));
    }

    /** The Tomcat of the latest launch: its manager undeploys, deploys and finds leaked class loaders. */
    public TomcatServer server() {
        return last;
    }

    @Override
    public String toString() {
        return name;
    }
}
