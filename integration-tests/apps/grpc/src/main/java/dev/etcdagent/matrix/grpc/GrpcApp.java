package dev.etcdagent.matrix.grpc;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import dev.etcdagent.Dynamic;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;

/**
 * A grpc-java server with grpc-netty-shaded (its bundled, relocated Netty picks the native epoll
 * transport on Linux) on 127.0.0.1:{@code args[0]}. {@code matrix.Values/Get} answers
 * {@code dynamic=<field> property=<System.getProperty("matrix.property")> server=<port>}. With
 * {@code with-metrics-port} as {@code args[1]} it also serves a metrics page on a JDK {@code HttpServer}
 * at an ephemeral port, bound after the gRPC port (as Prometheus' simpleclient_httpserver does).
 */
public final class GrpcApp {

    @Dynamic("matrix.dynamic")
    static String dynamic = "declared";

    private GrpcApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        ServerServiceDefinition values = ServerServiceDefinition.builder(ValuesService.NAME)
                .addMethod(ValuesService.GET, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(observed() + " server=" + port);
                    response.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(values)
                .build()
                .start();
        if (args.length > 1 && args[1].equals("with-metrics-port")) {
            startMetricsPage();
        }
        server.awaitTermination();
    }

    private static void startMetricsPage() throws Exception {
        HttpServer metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        metrics.createContext("/metrics", exchange -> {
            byte[] body = "requests_total 0\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        metrics.start();
    }

    static String observed() {
        return "dynamic=" + dynamic + " property=" + System.getProperty("matrix.property");
    }
}
