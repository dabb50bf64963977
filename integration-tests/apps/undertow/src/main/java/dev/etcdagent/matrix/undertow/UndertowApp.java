package dev.etcdagent.matrix.undertow;

import dev.etcdagent.Dynamic;
import io.undertow.Undertow;

/**
 * Undertow on 127.0.0.1:{@code args[0]}. Every GET answers
 * {@code dynamic=<field> property=<System.getProperty("matrix.property")>}: what the matrix checks.
 */
public final class UndertowApp {

    @Dynamic("matrix.dynamic")
    static String dynamic = "declared";

    private UndertowApp() {
    }

    public static void main(String[] args) {
        Undertow.builder()
                .addHttpListener(Integer.parseInt(args[0]), "127.0.0.1")
                .setHandler(exchange -> exchange.getResponseSender().send(observed()))
                .build()
                .start();
    }

    static String observed() {
        return "dynamic=" + dynamic + " property=" + System.getProperty("matrix.property");
    }
}
