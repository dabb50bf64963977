package dev.etcdagent.agent.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.etcdagent.agent.log.AgentLog;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;

/**
 * Reads a key, or every key under a prefix, over gRPC: in pages, all at the first page's revision
 * (see {@link RangePages}). A page over the message limit is asked again with half as many keys; a
 * revision compacted between two pages starts the read again at the latest.
 */
public final class RangeReader {

    private RangeReader() {
    }

    /** Completes on {@code calls}' loop. */
    public static CompletableFuture<RangeRead> read(EtcdCalls calls, String key, boolean prefix) {
        CompletableFuture<RangeRead> result = new CompletableFuture<>();
        readPage(calls, new RangePages(key, prefix), result);
        return result;
    }

    private static void readPage(EtcdCalls calls, RangePages pages, CompletableFuture<RangeRead> result) {
        GetOption.Builder option = GetOption.builder().withLimit(pages.limit()).withRevision(pages.revision());
        if (pages.endKey() != null) {
            option.withRange(ByteSequence.from(pages.endKey()));
        }
        GetOption built = option.build();
        calls.call(client -> client.getKVClient().get(ByteSequence.from(pages.startKey()), built))
                .whenComplete((response, error) -> {
                    if (error == null) {
                        if (addPage(pages, response)) {
                            result.complete(pages.result());
                        } else {
                            readPage(calls, pages, result);
                        }
                    } else if (Errors.isTooLarge(error) && pages.shrink()) {
                        AgentLog.debug("a page of " + Bytes.text(pages.startKey()) + " was too large; reading "
                                + pages.limit() + " keys a page");
                        readPage(calls, pages, result);
                    } else if (Errors.isCompacted(error) && pages.revision() != 0) {
                        pages.restart();
                        readPage(calls, pages, result);
                    } else {
                        result.completeExceptionally(error);
                    }
                });
    }

    private static boolean addPage(RangePages pages, GetResponse response) {
        List<Change> entries = new ArrayList<>(response.getKvs().size());
        byte[] lastKey = null;
        for (KeyValue kv : response.getKvs()) {
            lastKey = kv.getKey().getBytes();
            entries.add(Changes.of(kv));
        }
        return pages.add(entries, lastKey, response.isMore(), response.getHeader().getRevision(),
                response.getHeader().getClusterId());
    }
}
