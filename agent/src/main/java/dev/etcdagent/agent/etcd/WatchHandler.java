package dev.etcdagent.agent.etcd;

import java.util.List;

/** Receives a watch's events, on the etcd loop, in revision order. */
public interface WatchHandler {
    void changed(List<Change> changes);

    /**
     * The watch has ended and will deliver nothing more. {@code compacted}: the revision it was to
     * resume from is gone, so the caller must read the range again before watching anew.
     */
    void ended(Throwable error, boolean compacted);
}
