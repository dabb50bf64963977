package dev.etcdagent.it.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * etcd's gRPC proxy ({@code etcd grpc-proxy start}, in Debian's etcd-server package) in front of one
 * etcd: what a zone puts between many JVMs and the cluster. It serves gRPC only, no JSON gateway.
 */
public final class GrpcProxy implements AutoCloseable {

    private final Process process;
    private final int port;

    private GrpcProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A proxy for {@code etcd}, listening on a free loopback port; ready when it accepts connections. */
    public static GrpcProxy start(EtcdServer etcd) {
        int port = FreePorts.next();
        String target = etcd.endpoint().replaceFirst("^https?://", "");
        try {
            Path log = Files.createTempFile("grpc-proxy-", ".log");
            Process process = new ProcessBuilder(List.of("/usr/bin/etcd", "grpc-proxy", "start",
                    "--endpoints=" + target, "--listen-addr=127.0.0.1:" + port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            GrpcProxy proxy = new GrpcProxy(process, port);
            await("etcd grpc-proxy on port " + port).atMost(Duration.ofSeconds(20)).until(proxy::accepts);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint a client gives: {@code http://127.0.0.1:port}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private boolean accepts() {
        if (!process.isAlive()) {
            throw new IllegalStateException("etcd grpc-proxy ended with " + process.exitValue());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
