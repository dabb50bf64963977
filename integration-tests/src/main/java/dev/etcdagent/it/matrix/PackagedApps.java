package dev.etcdagent.it.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;

/**
 * The matrix's applications as users ship them, built by the reactor under {@code integration-tests/apps}:
 * Spring Boot executable fat jars, Quarkus's fast-jar, and a WAR on the standalone Tomcat distribution.
 * Each answers {@code GET /probe} (Tomcat: {@code /probe/probe}) with {@code dynamic=… property=…}, the Spring
 * ones also with what {@code @Value}, {@code Environment} and {@code @ConfigurationProperties} saw of
 * {@code promo.enabled} ({@link #SPRING_KEY}). The Spring live-configuration application (issue 16) is no matrix
 * case of that kind: it answers {@code GET /live} with what its Spring beans hold, and declares no {@code @Dynamic}.
 */
public final class PackagedApps {

    /** The key, relative to {@code config}, that the Spring applications read through Spring's Environment. */
    public static final String SPRING_KEY = "promo.enabled";

    private static final ValuesProbe PROBE = ValuesProbe.http("/probe");
    private static final ValuesProbe LIVE = ValuesProbe.http("/live");

    private PackagedApps() {
    }

    /** Spring Boot 3 MVC (embedded Tomcat), Actuator on its own management port, on this java. */
    public static ExecutableJarCase springMvc(String name, String java, int managementPort) {
        return new ExecutableJarCase(name, java, built("spring-mvc", "target/spring-mvc-app.jar"), PROBE,
                port -> new String[] {"--server.port=" + port, "--management.server.port=" + managementPort});
    }

    /** The same application built against Spring Boot 4.0 (apps/spring4-mvc), on the test JVM's java. */
    public static ExecutableJarCase spring4Mvc(int managementPort) {
        return new ExecutableJarCase("Spring Boot 4.0 MVC fat jar", AgentJvm.javaBinary(),
                built("spring4-mvc", "target/spring4-mvc-app.jar"), PROBE,
                port -> new String[] {"--server.port=" + port, "--management.server.port=" + managementPort});
    }

    /** Spring Boot 3 WebFlux on Reactor Netty's default transport: native epoll on Linux. */
    public static ExecutableJarCase springWebFlux() {
        return new ExecutableJarCase("Spring Boot 3.5 WebFlux fat jar (Reactor Netty, epoll)", AgentJvm.javaBinary(),
                built("spring-webflux", "target/spring-webflux-app.jar"), PROBE,
                port -> new String[] {"--server.port=" + port});
    }

    /** Spring Boot 3.5 MVC whose {@code @Value} members and {@code @ConfigurationProperties} beans follow etcd. */
    public static ExecutableJarCase springLive(String name, String java) {
        return new ExecutableJarCase(name, java, built("spring-live", "target/spring-live-app.jar"), LIVE,
                port -> new String[] {"--server.port=" + port});
    }

    /** The same application's sources built against Spring Boot 4.0, on the test JVM's java. */
    public static ExecutableJarCase spring4Live() {
        return new ExecutableJarCase("Spring Boot 4.0 MVC fat jar, live @Value and @ConfigurationProperties",
                AgentJvm.javaBinary(), built("spring4-live", "target/spring4-live-app.jar"), LIVE,
                port -> new String[] {"--server.port=" + port});
    }

    /** Quarkus 3's fast-jar, the annotations jar inside its lib/main (Maven's default scope). */
    public static ExecutableJarCase quarkus() {
        return new ExecutableJarCase("Quarkus 3.33 fast-jar", AgentJvm.javaBinary(),
                built("quarkus", "target/quarkus-app/quarkus-run.jar"), PROBE, port -> new String[0])
                .withSystemProperty("quarkus.http.port");
    }

    /** Standalone Tomcat 10.1 with the WAR compiled against the annotations jar (scope provided, not in the WAR). */
    public static TomcatCase tomcatWar() {
        return new TomcatCase("Tomcat 10.1, WAR (API jar provided)", AgentJvm.javaBinary(), probeWar());
    }

    /** The same WAR with the annotations jar inside WEB-INF/lib. */
    public static TomcatCase tomcatBundledWar() {
        return new TomcatCase("Tomcat 10.1, WAR with the API jar in WEB-INF/lib", AgentJvm.javaBinary(),
                built("tomcat-webapp", "target/probe-bundled.war"));
    }

    /** WildFly 39 with the WAR compiled against the annotations jar (scope provided): the agent in JAVA_OPTS only. */
    public static WildFlyCase wildFlyWar() {
        return new WildFlyCase("WildFly 39, WAR (API jar provided)", AgentJvm.javaBinary(), probeWar());
    }

    /** The same WAR with the annotations jar inside WEB-INF/lib. */
    public static WildFlyCase wildFlyBundledWar() {
        return new WildFlyCase("WildFly 39, WAR with the API jar in WEB-INF/lib", AgentJvm.javaBinary(),
                built("tomcat-webapp", "target/probe-bundled.war"));
    }

    /** The cases whose start-up and exit cost the benchmark measures (Spring Boot MVC also on JDK 25 when installed). */
    public static List<MatrixCase> all() {
        List<MatrixCase> cases = new ArrayList<>();
        cases.add(springMvc());
        java25().ifPresent(java -> cases.add(springMvc("Spring Boot 3.5 MVC fat jar on JDK 25", java, FreePorts.next())));
        cases.add(spring4Mvc(FreePorts.next()));
        cases.add(springWebFlux());
        cases.add(tomcatWar());
        cases.add(wildFlyWar());
        cases.add(quarkus());
        return cases;
    }

    /** The WAR without the annotations jar. */
    public static Path probeWar() {
        return built("tomcat-webapp", "target/probe.war");
    }

    /** The Spring MVC case on the test JVM's java, its management port a fresh free one. */
    public static ExecutableJarCase springMvc() {
        return springMvc("Spring Boot 3.5 MVC fat jar", AgentJvm.javaBinary(), FreePorts.next());
    }

    /** CATALINA_HOME: Tomcat's distribution from Maven Central, unpacked by the web application's build. */
    static Path tomcatHome() {
        Path unpacked = built("tomcat-webapp", "target/tomcat");
        try (Stream<Path> dirs = Files.list(unpacked)) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("apache-tomcat-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no apache-tomcat-* in " + unpacked
                            + ": build the reactor (mvn -B verify -pl integration-tests -am)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Temurin 25's java: it.matrix.java25 if set, else the first /usr/lib/jvm/temurin-25*; empty when not installed. */
    public static Optional<String> java25() {
        String configured = System.getProperty("it.matrix.java25", "");
        if (!configured.isBlank()) {
            return Optional.of(configured);
        }
        try (Stream<Path> jdks = Files.list(Paths.get("/usr/lib/jvm"))) {
            return jdks.filter(dir -> dir.getFileName().toString().startsWith("temurin-25"))
                    .map(dir -> dir.resolve("bin/java")).filter(Files::isExecutable).map(Path::toString).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Path built(String module, String file) {
        Path path = Paths.get(System.getProperty("it.matrix.apps", "integration-tests/apps"), module, file)
                .toAbsolutePath();
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: build the reactor (mvn -B verify -pl"
                    + " integration-tests -am) so that the matrix applications are packaged");
        }
        return path;
    }
}
