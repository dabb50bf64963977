package dev.etcdagent.it.matrix;

import org.junit.jupiter.api.Test;

/**
 * The compatibility matrix, servers on the JDK's sockets (issue 9): Jetty 12 embedded, Netty 4.1 NIO,
 * Vert.x 4 and Undertow, each a small real application from integration-tests/apps run with and without
 * the agent.
 */
class ServerFrameworksIT extends MatrixTestSupport {

    @Test
    void jetty12Embedded() {
        check(MatrixApps.JETTY);
    }

    @Test
    void netty41Nio() {
        check(MatrixApps.NETTY_NIO);
    }

    @Test
    void vertx4() {
        check(MatrixApps.VERTX);
    }

    @Test
    void undertow() {
        check(MatrixApps.UNDERTOW);
    }
}
