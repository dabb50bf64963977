package dev.etcdagent.agent.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * The agent's own log: one line per event on standard error, never standard output, which
 * belongs to the application. jetcd's, gRPC's, Netty's and Vert.x's logs are routed here too.
 */
public final class AgentLog {

    /** Levels in increasing verbosity; a message is printed when its level is at most the chosen one. */
    public enum Level {
        OFF, ERROR, WARN, INFO, DEBUG;

        public static Level parse(String text) {
            return Level.valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static volatile Level threshold = Level.INFO;
    private static volatile String lastProblem;
    private static final PrintStream OUT = System.err;

    private AgentLog() {
    }

    public static void setLevel(Level level) {
        threshold = level;
    }

    public static boolean enabled(Level level) {
        return level != Level.OFF && level.ordinal() <= threshold.ordinal();
    }

    public static void error(String message) {
        log(Level.ERROR, message, null);
    }

    public static void error(String message, Throwable cause) {
        log(Level.ERROR, message, cause);
    }

    public static void warn(String message) {
        log(Level.WARN, message, null);
    }

    public static void info(String message) {
        log(Level.INFO, message, null);
    }

    public static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    public static void debug(String message, Throwable cause) {
        log(Level.DEBUG, message, cause);
    }

    /** The latest WARN or ERROR message (whatever the level printed), for JMX; null when none yet. */
    public static String lastProblem() {
        return lastProblem;
    }

    public static void log(Level level, String message, Throwable cause) {
        if (level == Level.ERROR || level == Level.WARN) {
            lastProblem = Instant.now() + " " + level + " " + message + (cause != null ? ": " + describe(cause) : "");
        }
        if (!enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(64 + message.length())
                .append("[etcd-agent] ").append(Instant.now()).append(' ')
                .append(level).append(' ').append(message);
        if (cause != null) {
            line.append(": ").append(describe(cause));
        }
        // One println call per line so that concurrent lines never interleave.
        OUT.println(line);
        if (cause != null && enabled(Level.DEBUG)) {
            cause.printStackTrace(OUT);
        }
    }

    /** A throwable as one short phrase: its type and message, and its root cause's when different. */
    public static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : " " + error.getMessage());
        if (root != error) {
            text += " (caused by " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : " " + root.getMessage()) + ")";
        }
        return text;
    }
}
