package dev.etcdagent.it.matrix;

import java.time.Duration;

import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The compatibility matrix, servers on native transports that bypass the JDK's sockets (issue 9): Netty 4.1
 * epoll and io_uring, and grpc-java with grpc-netty-shaded (its relocated Netty picks epoll on Linux).
 */
class NativeTransportsIT extends MatrixTestSupport {

    @Test
    void netty41Epoll() {
        check(MatrixApps.NETTY_EPOLL);
    }

    @Test
    void netty41IoUringWhereTheKernelAllowsIt() {
        assumeIoUringAvailable();
        check(MatrixApps.NETTY_IO_URING);
    }

    @Test
    void grpcJavaWithNettyShaded() {
        check(MatrixApps.GRPC);
    }

    /** A second listener on the JDK's sockets (a metrics page): {@code port=} names the one to register. */
    @Test
    void grpcJavaWithAMetricsPortRegistersThePortNamedByThePortArgument() {
        check(withPortArgument(MatrixApps.GRPC_WITH_METRICS_PORT));
    }

    private static MatrixCase withPortArgument(MatrixCase app) {
        return new MatrixCase() {
            @Override
            public String name() {
                return app.name() + ", port=";
            }

            @Override
            public ValuesProbe probe() {
                return app.probe();
            }

            @Override
            public AgentJvm.Builder launcher(String agentArgs, int port) {
                return app.launcher(agentArgs == null ? null : agentArgs + ",port=" + port, port);
            }
        };
    }
    /** io_uring needs a kernel that has it and lets this process use it (containers often forbid it). */
    private void assumeIoUringAvailable() {
        int port = FreePorts.next();
        AgentJvm probe = start(MatrixApps.NETTY_IO_URING.launcher(null, port));
        await("Netty's io_uring transport starting or refusing").atMost(FrameworkChecks.WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !probe.isAlive() || answers(port));
        if (!probe.isAlive() && probe.waitForExit(FrameworkChecks.WAIT) == MatrixApps.TRANSPORT_UNAVAILABLE) {
            assumeThat(false).as("Netty's io_uring transport cannot run here: %s", probe.stdout().text()).isTrue();
        }
        probe.close();
    }

    private static boolean answers(int port) {
        try {
            MatrixApps.NETTY_IO_URING.probe().read(port);
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }
}
