package dev.etcdagent.it.matrix;

import java.util.List;

/** The applications of the matrix built from integration-tests/apps: Jetty, Netty, gRPC, Vert.x, Undertow. */
public final class MatrixApps {

    private static final ValuesProbe HTTP = ValuesProbe.http("/matrix/values");

    public static final MatrixApp JETTY = MatrixApp.of("Jetty 12 embedded", "jetty",
            "dev.etcdagent.matrix.jetty.JettyApp", HTTP);
    public static final MatrixApp NETTY_NIO = MatrixApp.of("Netty 4.1 NIO", "netty",
            "dev.etcdagent.matrix.netty.NettyApp", HTTP, "nio");
    public static final MatrixApp NETTY_EPOLL = MatrixApp.of("Netty 4.1 epoll", "netty",
            "dev.etcdagent.matrix.netty.NettyApp", HTTP, "epoll");
    public static final MatrixApp NETTY_IO_URING = MatrixApp.of("Netty 4.1 io_uring", "netty",
            "dev.etcdagent.matrix.netty.NettyApp", HTTP, "io_uring");
    public static final MatrixApp GRPC = MatrixApp.of("grpc-java, grpc-netty-shaded", "grpc",
            "dev.etcdagent.matrix.grpc.GrpcApp", ValuesProbe.grpc());
    /** The same gRPC server plus a JDK HttpServer metrics page on a second, ephemeral port bound after it. */
    public static final MatrixApp GRPC_WITH_METRICS_PORT = MatrixApp.of("grpc-java with a JDK HttpServer metrics port",
            "grpc", "dev.etcdagent.matrix.grpc.GrpcApp", ValuesProbe.grpc(), "with-metrics-port");
    public static final MatrixApp VERTX = MatrixApp.of("Vert.x 4", "vertx",
            "dev.etcdagent.matrix.vertx.VertxApp", HTTP);
    public static final MatrixApp UNDERTOW = MatrixApp.of("Undertow", "undertow",
            "dev.etcdagent.matrix.undertow.UndertowApp", HTTP);

    /** The exit code of the Netty application when its native transport cannot run on this machine. */
    public static final int TRANSPORT_UNAVAILABLE = 3;

    private MatrixApps() {
    }

    public static List<MatrixApp> all() {
        return List.of(JETTY, NETTY_NIO, NETTY_EPOLL, NETTY_IO_URING, GRPC, VERTX, UNDERTOW);
    }
}
