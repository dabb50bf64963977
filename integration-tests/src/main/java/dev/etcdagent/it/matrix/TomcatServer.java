package dev.etcdagent.it.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.etcdagent.it.launch.FreePorts;

/**
 * A standalone Tomcat's layout as operators make it: the distribution from Maven Central as CATALINA_HOME, a
 * fresh CATALINA_BASE with its own HTTP and shutdown ports and a WAR dropped into {@code webapps} ({@link TomcatCase}
 * starts it). The manager's text interface (user {@code matrix}, role {@code manager-script}, loopback only)
 * undeploys, deploys and finds leaked web application class loaders.
 */
public final class TomcatServer {

    private static final String MANAGER_USER = "matrix";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path home;
    private final Path base;
    private final int port;
    private final int shutdownPort;

    private TomcatServer(Path home, Path base, int port, int shutdownPort) {
        this.home = home;
        this.base = base;
        this.port = port;
        this.shutdownPort = shutdownPort;
    }

    /** A new CATALINA_BASE whose connector listens on {@code port}, this WAR deployed at {@code /context}. */
    public static TomcatServer create(int port, String context, Path war) {
        try {
            Path work = Files.createDirectories(Paths.get(System.getProperty("it.work.dir",
                    System.getProperty("java.io.tmpdir"))));
            TomcatServer tomcat = new TomcatServer(PackagedApps.tomcatHome(), Files.createTempDirectory(work, "tomcat-base-"),
                    port, FreePorts.next());
            tomcat.layOut(context, war);
            return tomcat;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void layOut(String context, Path war) throws IOException {
        for (String dir : List.of("logs", "temp", "work", "webapps", "conf/Catalina/localhost")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> files = Files.list(home.resolve("conf"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        Path serverXml = base.resolve("conf/server.xml");
        Files.writeString(serverXml, Files.readString(serverXml)
                .replace("port=\"8005\"", "port=\"" + shutdownPort + "\"")
                .replace("port=\"8080\"", "port=\"" + port + "\""));
        Files.writeString(base.resolve("conf/tomcat-users.xml"), "<tomcat-users xmlns=\"http://tomcat.apache.org/xml\""
                + " version=\"1.0\">\n  <user username=\"" + MANAGER_USER + "\" password=\"" + MANAGER_USER
                + "\" roles=\"manager-script\"/>\n</tomcat-users>\n");
        // The manager from CATALINA_HOME, with its own META-INF/context.xml (loopback only).
        Files.writeString(base.resolve("conf/Catalina/localhost/manager.xml"),
                "<Context docBase=\"${catalina.home}/webapps/manager\" privileged=\"true\"/>\n");
        Files.copy(war, base.resolve("webapps").resolve(context + ".war"));
    }

    public Path home() {
        return home;
    }

    public Path base() {
        return base;
    }

    /** The HTTP connector's port: the one to register. */
    public int port() {
        return port;
    }

    /** Undeploys the web application at this context path (e.g. {@code /probe}), deleting its WAR. */
    public String undeploy(String path) {
        return manager("undeploy?path=" + path);
    }

    /** Deploys this WAR at this context path. */
    public String deploy(String path, Path war) {
        return manager("deploy?path=" + path + "&war=" + war.toUri());
    }

    /**
     * The context paths of stopped web applications whose class loaders are still reachable after a full GC
     * (the manager's {@code findleaks}, which calls {@code System.gc()} first).
     */
    public List<String> findLeaks() {
        String answer = manager("findleaks?statusLine=true");
        return answer.lines().skip(1).filter(line -> !line.isBlank()).map(String::trim)
                .collect(Collectors.toList());
    }

    private String manager(String command) {
        String credentials = Base64.getEncoder().encodeToString(
                (MANAGER_USER + ":" + MANAGER_USER).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/manager/text/" + command))
                .header("Authorization", "Basic " + credentials).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || !response.body().startsWith("OK")) {
                throw new IllegalStateException("manager " + command + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("manager " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
