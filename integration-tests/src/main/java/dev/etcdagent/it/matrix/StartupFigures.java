package dev.etcdagent.it.matrix;

/** A case's start-up and exit cost, without and with the agent: launch to first answer, SIGTERM to exit. */
public final class StartupFigures {

    public final String name;
    public final long answerWithoutMs;
    public final long answerWithMs;
    public final long exitWithoutMs;
    public final long exitWithMs;
    /** From the first successful answer to the registration's put in etcd; negative when the key came first. */
    public final long keyAfterAnswerMs;

    public StartupFigures(String name, long answerWithoutMs, long answerWithMs, long exitWithoutMs, long exitWithMs,
                          long keyAfterAnswerMs) {
        this.name = name;
        this.answerWithoutMs = answerWithoutMs;
        this.answerWithMs = answerWithMs;
        this.exitWithoutMs = exitWithoutMs;
        this.exitWithMs = exitWithMs;
        this.keyAfterAnswerMs = keyAfterAnswerMs;
    }

    @Override
    public String toString() {
        return String.format("%s: launch to first answer %d ms with the agent vs %d ms without (%+d ms);"
                        + " key in etcd %s; SIGTERM to exit %d vs %d ms", name, answerWithMs, answerWithoutMs,
                answerWithMs - answerWithoutMs, keyAfterAnswer(), exitWithMs, exitWithoutMs);
    }

    /** {@code 12 ms after the first answer}, or {@code 340 ms before it}. */
    public String keyAfterAnswer() {
        return keyAfterAnswerMs > 0 ? keyAfterAnswerMs + " ms after the first answer"
                : -keyAfterAnswerMs + " ms before the first answer";
    }
}
