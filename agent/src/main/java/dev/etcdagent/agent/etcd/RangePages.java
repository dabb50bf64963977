package dev.etcdagent.agent.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One range read in pages. A whole prefix in one answer can exceed any message limit (gRPC's is
 * 4 MiB by default), so the range is read {@link #limit()} keys at a time, in key order, each page
 * starting just past the previous page's last key, and every page at the first page's revision:
 * together the pages are one consistent snapshot. Pure state; the caller does the I/O.
 */
final class RangePages {

    static final int FIRST_LIMIT = 1_000;

    private final byte[] key;
    private final byte[] end;
    private byte[] start;
    private int limit = FIRST_LIMIT;
    private long revision;
    private long clusterId;
    private final List<Change> entries = new ArrayList<>();

    RangePages(String key, boolean prefix) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.end = prefix ? Bytes.prefixEnd(this.key) : null;
        this.start = this.key;
    }

    /** The first key of the next page. */
    byte[] startKey() {
        return start;
    }

    /** The end of the range (exclusive), or null when the range is one key. */
    byte[] endKey() {
        return end;
    }

    /** The revision every page is read at; 0 (the latest) for the first page. */
    long revision() {
        return revision;
    }

    int limit() {
        return limit;
    }

    /**
     * Takes one page: its entries in key order, the raw bytes of its last key, whether etcd has more,
     * and its header. Returns true when the range is complete.
     */
    boolean add(List<Change> page, byte[] lastKey, boolean more, long headerRevision, long headerClusterId) {
        if (revision == 0) {
            revision = headerRevision;
            clusterId = headerClusterId;
        }
        entries.addAll(page);
        if (!more || lastKey == null || end == null) {
            return true;
        }
        // The smallest key after lastKey.
        start = Arrays.copyOf(lastKey, lastKey.length + 1);
        return false;
    }

    /** A page was over the message limit: ask for half as many keys. False when already one key a page. */
    boolean shrink() {
        if (limit == 1) {
            return false;
        }
        limit = Math.max(1, limit / 2);
        return true;
    }

    /** The pages' revision was compacted before the last page: read everything again at the latest. */
    void restart() {
        start = key;
        revision = 0;
        clusterId = 0;
        entries.clear();
    }

    RangeRead result() {
        return new RangeRead(entries, revision, clusterId);
    }
}
