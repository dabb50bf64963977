package dev.etcdagent.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.awaitility.Awaitility.await;

/**
 * One real etcd per test class, and every JVM a test starts stopped after it, whatever happens.
 * Each test uses its own service id, so tests sharing the etcd never see each other's keys.
 */
public abstract class AgentTestSupport extends StartedResources {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SERVICES = new AtomicInteger();

    protected static EtcdServer etcd;
    protected static Etcdctl etcdctl;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start();
        etcdctl = Etcdctl.forServer(etcd);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    /** A fresh service id, e.g. /service/t3. */
    protected static String newService() {
        return "/service/t" + SERVICES.incrementAndGet();
    }

    protected static String agentArgs(String service, String... more) {
        StringBuilder args = new StringBuilder("service=" + service + ",endpoints=" + etcd.endpoint()
                + ",host=127.0.0.1,ttl=2,snapshot=off");
        for (String arg : more) {
            args.append(',').append(arg);
        }
        return args.toString();
    }

    protected AgentJvm start(AgentJvm.Builder builder) {
        return track(builder.start());
    }

    /** Waits until exactly one key is registered under {@code service/} and returns its (key, value). */
    static Map.Entry<String, String> awaitRegistration(String service) {
        return await("a registration under " + service).atMost(WAIT).until(
                () -> etcdctl.getPrefix(service + "/"), map -> map.size() == 1)
                .entrySet().iterator().next();
    }

    static void awaitNoRegistration(String service, Duration within) {
        await("no registration under " + service).atMost(within).pollInterval(Duration.ofMillis(20))
                .until(() -> etcdctl.getPrefix(service + "/").isEmpty());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
