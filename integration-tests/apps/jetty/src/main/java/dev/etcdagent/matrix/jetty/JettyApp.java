package dev.etcdagent.matrix.jetty;

import dev.etcdagent.Dynamic;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty 12 embedded (core handlers, no servlets) on 127.0.0.1:{@code args[0]}. Every GET answers
 * {@code dynamic=<field> property=<System.getProperty("matrix.property")>}: what the matrix checks.
 */
public final class JettyApp {

    @Dynamic("matrix.dynamic")
    static String dynamic = "declared";

    private JettyApp() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                Content.Sink.write(response, true, observed(), callback);
                return true;
            }
        });
        server.setStopAtShutdown(true);
        server.start();
        server.join();
    }

    static String observed() {
        return "dynamic=" + dynamic + " property=" + System.getProperty("matrix.property");
    }
}
