package dev.etcdagent.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import dev.etcdagent.it.launch.AgentJvm;

/** How the figures start, wait on and time JVMs: the agent argument, the time-out, what /proc says of a process. */
final class BenchJvms {

    /** How long any one step may take: past it the figure fails rather than measure a hung JVM. */
    static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * The agent's log line once its gRPC session is up (on stderr, at INFO): it registers through etcd's JSON
     * gateway first and builds the session only once the application is quiet, up to 15 s after start. The word
     * boundary leaves out "reconnected".
     */
    static final String CONNECTED = "\\bconnected to etcd";
    /** USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on every Linux architecture Java runs on. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;

    private BenchJvms() {
    }

    /** The agent argument of a benchmark JVM: loopback host, no snapshot file, then {@code more} (",ttl=2"). */
    static String agentArgs(String endpoints, String service, String more) {
        return "service=" + service + ",endpoints=" + endpoints + ",host=127.0.0.1,snapshot=off" + more;
    }

    /** Wall time of a JVM that exits by itself, from its launch to its exit. */
    static double wallMillis(AgentJvm.Builder builder) {
        try (AgentJvm jvm = builder.start()) {
            jvm.waitForExit(WAIT);
            return (System.nanoTime() - jvm.startNanos()) / 1e6;
        }
    }

    /** User plus system CPU time of a whole process, every thread (JIT and GC included), from /proc/PID/stat. */
    static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
        // Fields after the command name, which is in parentheses and may hold spaces: utime is the 14th field.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double ticks = Double.parseDouble(fields[11]) + Double.parseDouble(fields[12]);
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /** A number field of /proc/PID/status, such as VmRSS (in kB) or Threads. */
    static double procStatus(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Double.parseDouble(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    /**
     * SIGTERM to every JVM at once, then each closed, killed if it has not exited within {@link #WAIT}: each
     * agent revokes its lease at exit, so no key of theirs outlives them in etcd by a ttl. Every JVM is
     * closed, whatever fails.
     */
    static void stopAll(List<AgentJvm> jvms) {
        try {
            for (AgentJvm jvm : jvms) {
                if (jvm.isAlive()) {
                    jvm.sigterm();
                }
            }
            for (AgentJvm jvm : jvms) {
                if (jvm.isAlive()) {
                    try {
                        jvm.waitForExit(WAIT);
                    } catch (IllegalStateException stillRunning) {
                        // closeAll kills it
                    }
                }
            }
        } finally {
            closeAll(jvms);
        }
    }

    static void closeAll(List<AgentJvm> jvms) {
        for (AgentJvm jvm : jvms) {
            jvm.close();
        }
    }
}
