package dev.etcdagent.agent.etcd;

import java.util.List;

/** The result of reading a key or a prefix: every live key, as of {@link #revision}, in cluster {@link #clusterId}. */
public final class RangeRead {
    public final List<Change> entries;
    public final long revision;
    public final long clusterId;

    public RangeRead(List<Change> entries, long revision, long clusterId) {
        this.entries = entries;
        this.revision = revision;
        this.clusterId = clusterId;
    }
}
