package dev.etcdagent.it.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;

/**
 * A WAR on WildFly as operators run it: {@code bin/standalone.sh} with the agent added to {@code JAVA_OPTS}
 * in {@code standalone.conf} (a copy given as {@code RUN_CONF}), nothing else: no
 * {@code JBOSS_MODULES_SYSTEM_PKGS}, no module. A fresh server base directory (configuration, deployments)
 * for each launch, the HTTP listener and the management interface on their own free ports, the WAR
 * deployed by the deployment scanner at {@code /probe}. {@code LAUNCH_JBOSS_IN_BACKGROUND} makes the script
 * relay SIGTERM to the JVM, as in a container.
 */
public final class WildFlyCase implements MatrixCase {

    public static final String CONTEXT = "/probe";

    private final String name;
    private final String java;
    private final Path war;
    /** WildFly's own ports (8080, 8443, 9990), as an operator leaves them: the launch's port must be 8080. */
    private final boolean defaultPorts;
    private Path lastBase;
    private int lastManagementPort;

    WildFlyCase(String name, String java, Path war) {
        this(name, java, war, false);
    }

    private WildFlyCase(String name, String java, Path war, boolean defaultPorts) {
        this.name = name;
        this.java = java;
        this.war = war;
        this.defaultPorts = defaultPorts;
    }

    /** The same case on WildFly's default ports: HTTP 8080, management 9990 (for the benchmark, which runs alone). */
    public WildFlyCase withDefaultPorts() {
        return new WildFlyCase(name + ", default ports", java, war, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValuesProbe probe() {
        return ValuesProbe.http(CONTEXT + "/probe");
    }

    @Override
    public AgentJvm.Builder launcher(String agentArgs, int port) {
        try {
            Path home = home();
            Path work = Files.createDirectories(Paths.get(System.getProperty("it.work.dir",
                    System.getProperty("java.io.tmpdir"))));
            Path base = Files.createTempDirectory(work, "wildfly-base-");
            copy(home.resolve("standalone/configuration"), base.resolve("configuration"));
            Files.createDirectories(base.resolve("deployments"));
            Files.copy(war, base.resolve("deployments").resolve(CONTEXT.substring(1) + ".war"));
            Path conf = base.resolve("standalone.conf");
            String options = "-D" + PROPERTY + "=" + PROPERTY_JVM
                    + (agentArgs == null ? "" : " -javaagent:" + AgentJvm.agentJar() + "=" + agentArgs);
            Files.writeString(conf, Files.readString(home.resolve("bin/standalone.conf"))
                    + "\n# The operator's one line.\nJAVA_OPTS=\"$JAVA_OPTS " + options + "\"\n");
            if (defaultPorts && port != 8080) {
                throw new IllegalArgumentException("WildFly on its default ports answers on 8080, not " + port);
            }
            lastBase = base;
            lastManagementPort = defaultPorts ? 9990 : FreePorts.next();
            return AgentJvm.withoutAgent()
                    .env("JAVA_HOME", Paths.get(java).toAbsolutePath().getParent().getParent().toString())
                    .env("RUN_CONF", conf.toString())
                    .env("LAUNCH_JBOSS_IN_BACKGROUND", "true")
                    .launcher(defaultPorts
                            ? List.of("sh", home.resolve("bin/standalone.sh").toString(),
                                    "-Djboss.server.base.dir=" + base, "-Djboss.bind.address=127.0.0.1",
                                    "-Djboss.bind.address.management=127.0.0.1")
                            : List.of("sh", home.resolve("bin/standalone.sh").toString(),
                                    "-Djboss.server.base.dir=" + base,
                                    "-Djboss.http.port=" + port,
                                    "-Djboss.https.port=" + FreePorts.next(),
                                    "-Djboss.management.http.port=" + lastManagementPort,
                                    "-Djboss.management.https.port=" + FreePorts.next(),
                                    "-Djboss.bind.address=127.0.0.1",
                                    "-Djboss.bind.address.management=127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The latest launch's management port, which must never be registered. */
    public int managementPort() {
        return lastManagementPort;
    }

    /** The latest launch's server base directory (its deployments folder undeploys a WAR when its file goes). */
    public Path base() {
        return lastBase;
    }

    /** WildFly's distribution from Maven Central, unpacked by the web application's build. */
    static Path home() {
        Path unpacked = PackagedApps.built("tomcat-webapp", "target/wildfly");
        try (Stream<Path> dirs = Files.list(unpacked)) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("wildfly-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no wildfly-* in " + unpacked
                            + ": build the reactor (mvn -B verify -pl integration-tests -am)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
