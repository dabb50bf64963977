package dev.etcdagent.it.matrix;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.it.launch.AgentJvm;
import org.awaitility.Awaitility;

/**
 * A case of the compatibility matrix: a real application that listens on 127.0.0.1 at a port it is
 * given, has the field {@code @Dynamic("matrix.dynamic") static String dynamic = "declared"}, is started
 * with {@code -Dmatrix.property=jvm}, and reports both values through its own protocol ({@link #probe()}).
 */
public interface MatrixCase {

    String FIELD_KEY = "matrix.dynamic";
    String FIELD_DECLARED = "declared";
    String PROPERTY = "matrix.property";
    String PROPERTY_JVM = "jvm";

    /** What the matrix table calls it, e.g. "Jetty 12 embedded". */
    String name();

    ValuesProbe probe();

    /** Its launch on {@code port}, with the agent and these arguments, or without the agent when null. */
    AgentJvm.Builder launcher(String agentArgs, int port);

    /**
     * Waits until the application answers its probe and returns the milliseconds from its launch. Fails
     * at once, naming its exit code, when it exits without answering.
     */
    default long awaitFirstAnswer(AgentJvm jvm, int port, Duration timeout) {
        long[] answeredAt = new long[1];
        Awaitility.await(name() + " answering on port " + port).atMost(timeout).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    try {
                        probe().read(port);
                        answeredAt[0] = System.nanoTime();
                        return true;
                    } catch (Exception notYet) {
                        if (!jvm.isAlive()) {
                            throw new IllegalStateException(name() + " exited with code " + jvm.waitForExit(timeout)
                                    + " before answering; its output is in " + jvm.dir());
                        }
                        return false;
                    }
                });
        return TimeUnit.NANOSECONDS.toMillis(answeredAt[0] - jvm.startNanos());
    }

    /** Sends SIGTERM and returns the milliseconds until the process has exited. */
    static long sigtermToExitMillis(AgentJvm jvm, Duration timeout) {
        long start = System.nanoTime();
        jvm.sigterm();
        jvm.waitForExit(timeout);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
