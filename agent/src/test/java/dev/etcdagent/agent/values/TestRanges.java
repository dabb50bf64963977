package dev.etcdagent.agent.values;

/** Ranges for tests of other packages: only {@link LiveValues} makes them in the agent. */
public final class TestRanges {

    private TestRanges() {
    }

    /** A range that follows {@code key} alone, or with {@code prefix} every key under it. */
    public static WatchedRange of(String key, boolean prefix) {
        return new WatchedRange(key, prefix);
    }
}
