package dev.etcdagent.it.bench;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;

/**
 * The reference for the agent's cost, run without the agent: listens like {@link BenchProvider} (the same
 * lines), then does with jetcd directly what the agent does for such an application: builds a client,
 * grants a lease of the agent's default ttl, puts the registration key (the agent's key and value) on it and
 * keeps it alive with {@code keepAliveOnce} every ttl/3, as the agent's session does, reads the
 * configuration prefix and watches it from the revision after that read. Prints {@code REGISTERED <key>}
 * after the put and {@code WATCHING <keys read>} once the watch is asked for.
 *
 * <p>Arguments: the etcd endpoint, the service id ({@code /service/x}).
 */
public final class BareJetcdClient {

    /** The agent's default {@code ttl}. */
    private static final long TTL_SECONDS = 10;

    private BareJetcdClient() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String service = args[1];
        ServerSocket server = BenchProvider.listen();
        String address = "127.0.0.1:" + server.getLocalPort();
        Client client = Client.builder().endpoints(endpoint).build();
        Lease leases = client.getLeaseClient();
        long lease = leases.grant(TTL_SECONDS).get().getID();
        String key = service + "/" + address;
        client.getKVClient().put(bytes(key), bytes("{\"Op\":0,\"Addr\":\"" + address + "\",\"Metadata\":null}"),
                PutOption.builder().withLeaseId(lease).build()).get();
        System.out.println("REGISTERED " + key);
        Thread keepAlive = new Thread(() -> keepAlive(leases, lease), "keep-alive");
        keepAlive.setDaemon(true);
        keepAlive.start();
        ByteSequence prefix = bytes("/config" + service + "/");
        GetResponse config = client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build()).get();
        client.getWatchClient().watch(prefix, WatchOption.builder().isPrefix(true)
                .withRevision(config.getHeader().getRevision() + 1).build(), response -> { });
        System.out.println("WATCHING " + config.getCount());
        BenchProvider.serve(server);
    }

    /** One {@code keepAliveOnce} every ttl/3, each awaited; a failed one is reported and the next one tried. */
    private static void keepAlive(Lease leases, long lease) {
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(TTL_SECONDS * 1000 / 3);
                leases.keepAliveOnce(lease).get(TTL_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                System.err.println("keep-alive failed: " + e);
            }
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
