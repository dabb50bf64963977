package dev.etcdagent.it.matrix;

/** A case's start-up and exit cost, without and with the agent: launch to first answer, SIGTERM to exit. */
public final class StartupFigures {

    public final String name;
    public final long answerWithoutMs;
    public final long answerWithMs;
    public final long exitWithoutMs;
    public final long exitWithMs;

    public StartupFigures(String name, long answerWithoutMs, long answerWithMs, long exitWithoutMs, long exitWithMs) {
        this.name = name;
        this.answerWithoutMs = answerWithoutMs;
        this.answerWithMs = answerWithMs;
        this.exitWithoutMs = exitWithoutMs;
        this.exitWithMs = exitWithMs;
    }

    @Override
    public String toString() {
        return String.format("%s: launch to first answer %d ms with the agent vs %d ms without (%+d ms);"
                        + " SIGTERM to exit %d vs %d ms", name, answerWithMs, answerWithoutMs,
                answerWithMs - answerWithoutMs, exitWithMs, exitWithoutMs);
    }
}
