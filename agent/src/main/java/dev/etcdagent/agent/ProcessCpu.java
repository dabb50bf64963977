package dev.etcdagent.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** This process's CPU time from Linux's {@code /proc/self/stat}: no JMX to load for one number. */
final class ProcessCpu {

    /** Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ) on every common platform. */
    private static final long MILLIS_PER_TICK = 10;

    private ProcessCpu() {
    }

    /** User and system CPU time of the whole process in milliseconds, or -1 where it cannot be read. */
    static long millis() {
        try {
            String stat = new String(Files.readAllBytes(Paths.get("/proc/self/stat")), StandardCharsets.US_ASCII);
            // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
