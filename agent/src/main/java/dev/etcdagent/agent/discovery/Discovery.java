package dev.etcdagent.agent.discovery;

import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.etcdagent.agent.values.LiveValues;

/** Every service this JVM discovers, each read and watched once however many fields follow it. */
public final class Discovery {

    /** Told of a service's whole, sorted address set after every change; must not block. Held weakly. */
    public interface Listener {
        void addresses(SortedSet<String> addresses, long revision);
    }

    private final LiveValues values;
    private final Map<String, ServiceAddresses> services = new ConcurrentHashMap<>();

    public Discovery(LiveValues values) {
        this.values = values;
    }

    /** Starts following {@code service} (reading it first, bounded) and returns its addresses now. */
    public SortedSet<String> follow(String service, Listener listener) {
        ServiceAddresses addresses = services.computeIfAbsent(service,
                id -> new ServiceAddresses(id, values.service(id)));
        return addresses.listen(listener);
    }

    /** A service id as written in {@code @Discover}: a leading '/', no trailing one. */
    public static String normalize(String service) {
        String id = service.trim();
        while (id.length() > 1 && id.endsWith("/")) {
            id = id.substring(0, id.length() - 1);
        }
        if (!id.startsWith("/")) {
            throw new IllegalArgumentException("service id '" + service + "' must start with '/', e.g. /service/b");
        }
        return id;
    }
}
