package dev.etcdagent.matrix.vertx;

import dev.etcdagent.Dynamic;
import io.vertx.core.Vertx;

/**
 * A Vert.x 4 HTTP server (its default transport) on 127.0.0.1:{@code args[0]}. Every GET answers
 * {@code dynamic=<field> property=<System.getProperty("matrix.property")>}: what the matrix checks.
 */
public final class VertxApp {

    @Dynamic("matrix.dynamic")
    static String dynamic = "declared";

    private VertxApp() {
    }

    public static void main(String[] args) {
        Vertx.vertx().createHttpServer()
                .requestHandler(request -> request.response().putHeader("content-type", "text/plain").end(observed()))
                .listen(Integer.parseInt(args[0]), "127.0.0.1")
                .onFailure(error -> {
                    error.printStackTrace();
                    System.exit(1);
                });
    }

    static String observed() {
        return "dynamic=" + dynamic + " property=" + System.getProperty("matrix.property");
    }
}
