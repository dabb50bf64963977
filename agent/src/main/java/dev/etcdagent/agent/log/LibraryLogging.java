package dev.etcdagent.agent.log;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the bundled libraries' logs into the agent's log, at DEBUG: the agent reports connection
 * changes itself, once each, where jetcd, gRPC and Vert.x would repeat a warning on every retry.
 * SLF4J (jetcd, Netty, Vert.x) arrives through {@link Slf4jProvider}; gRPC logs through
 * java.util.logging, under the shaded package, which this detaches from the application's handlers.
 */
public final class LibraryLogging {

    private static final String SHADED = "dev.etcdagent.shaded";
    // java.util.logging keeps loggers weakly: this keeps our level and handler alive.
    private static Logger shadedRoot;

    private LibraryLogging() {
    }

    /** Called on the etcd loop, before the first library class loads; never in premain. */
    public static synchronized void install() {
        if (shadedRoot != null) {
            return;
        }
        Logger root = Logger.getLogger(SHADED);
        root.setUseParentHandlers(false);
        root.setLevel(AgentLog.enabled(AgentLog.Level.DEBUG) ? Level.FINE : Level.OFF);
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record == null || !AgentLog.enabled(AgentLog.Level.DEBUG)) {
                    return;
                }
                String message = record.getMessage();
                Object[] parameters = record.getParameters();
                if (message != null && parameters != null && parameters.length > 0) {
                    try {
                        message = java.text.MessageFormat.format(message, parameters);
                    } catch (IllegalArgumentException ignored) {
                        // keep the pattern as it is
                    }
                }
                AgentLog.log(AgentLog.Level.DEBUG, "[" + shortName(record.getLoggerName()) + "] " + message,
                        record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        shadedRoot = root;
    }

    static String shortName(String loggerName) {
        if (loggerName == null) {
            return "?";
        }
        String name = loggerName.startsWith(SHADED + ".") ? loggerName.substring(SHADED.length() + 1) : loggerName;
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
