package dev.etcdagent.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.etcdagent.it.apps.DiscoveryApp;
import dev.etcdagent.it.apps.PlainServer;
import dev.etcdagent.it.launch.AgentJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 4: @Discover fields follow another service's live addresses. DiscoveryApp follows /service/b. */
class DiscoveryIT extends AgentTestSupport {

    private static final String B = "/service/b";

    @AfterEach
    void clearServiceB() {
        etcdctl.delPrefix(B);
    }

    @Test
    void instancesJoiningAndLeavingAreFollowed() {
        AgentJvm consumer = start(AgentJvm.withAgent(agentArgs("/service/a")).main(DiscoveryApp.class));
        consumer.stdout().await("READY", WAIT);
        assertThat(consumer.stdout().lines()).contains("INITIAL all=[]", "INITIAL one=none", "INITIAL array=[]");

        List<AgentJvm> instances = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AgentJvm instance = start(AgentJvm.withAgent(agentArgs(B)).main(PlainServer.class));
            instances.add(instance);
            addresses.add("127.0.0.1:" + instance.stdout().await("LISTENING (\\d+)", WAIT));
        }
        List<String> sorted = addresses.stream().sorted().collect(Collectors.toList());
        consumer.stdout().await("VALUE all=" + quote(sorted.toString()), WAIT);
        consumer.stdout().await("VALUE array=" + quote(sorted.toString()), WAIT);
        String one = lastValue(consumer, "one");
        assertThat(addresses).contains(one);

        // kill -9 an instance the String field does not hold: it stays where it is.
        int victim = addresses.indexOf(one) == 0 ? 1 : 0;
        instances.get(victim).kill9();
        List<String> left = new ArrayList<>(sorted);
        left.remove(addresses.get(victim));
        consumer.stdout().await("VALUE all=" + quote(left.toString()), Duration.ofSeconds(10));
        assertThat(lastValue(consumer, "one")).isEqualTo(one);

        // Stop the held one: the field moves to the survivor.
        instances.get(addresses.indexOf(one)).sigterm();
        left.remove(one);
        consumer.stdout().await("VALUE all=" + quote(left.toString()), WAIT);
        consumer.stdout().await("VALUE one=" + quote(left.get(0)), WAIT);

        // None left: back to the declared values.
        for (AgentJvm instance : instances) {
            instance.kill9();
        }
        consumer.stdout().await("VALUE all=\\[\\]", Duration.ofSeconds(10));
        consumer.stdout().await("VALUE one=none", WAIT);
    }

    @Test
    void registrationsWrittenByEtcdctlInBothFormatsAreRead() {
        AgentJvm consumer = start(AgentJvm.withAgent(agentArgs("/service/a")).main(DiscoveryApp.class));
        consumer.stdout().await("READY", WAIT);

        etcdctl.put(B, "10.1.1.60:8081");
        consumer.stdout().await("VALUE all=\\[10.1.1.60:8081\\]", WAIT);
        etcdctl.put(B + "/go-1", "{\"Op\":0,\"Addr\":\"10.0.0.1:8080\",\"Metadata\":null}");
        etcdctl.put(B + "/plain-1", "10.0.0.2:9090");
        consumer.stdout().await("VALUE all=\\[10.0.0.1:8080, 10.0.0.2:9090, 10.1.1.60:8081\\]", WAIT);

        etcdctl.put(B + "/junk", "not an address");
        consumer.stderr().await(B + "/junk: its value \\(14 chars\\) is neither etcd's naming JSON", WAIT);
        etcdctl.put(B + "/deleted-op", "{\"Op\":1,\"Addr\":\"10.0.0.3:1\"}");
        etcdctl.put("/service/bb/other", "10.9.9.9:1");

        etcdctl.del(B);
        consumer.stdout().await("VALUE all=\\[10.0.0.1:8080, 10.0.0.2:9090\\]", WAIT);
        assertThat(consumer.stdout().lines()).noneMatch(line -> line.contains("10.0.0.3") || line.contains("10.9.9.9"));
        etcdctl.del("/service/bb/other");
    }

    private static String lastValue(AgentJvm jvm, String name) {
        List<String> lines = jvm.stdout().lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("VALUE " + name + "=") || lines.get(i).startsWith("INITIAL " + name + "=")) {
                return lines.get(i).substring(lines.get(i).indexOf('=') + 1);
            }
        }
        throw new AssertionError("no value of " + name);
    }

    private static String quote(String text) {
        return java.util.regex.Pattern.quote(text);
    }
}
