package dev.etcdagent.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.etcdagent.it.apps.SlowConverterApp;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import dev.etcdagent.it.launch.KeyEvents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 13: nothing a value or the application's code does can stall the lease (ttl=2). */
class StallIT extends StartedResources {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aSlowApplicationConverterAndAMegabyteNumberNeverCostTheRegistration() throws Exception {
        EtcdServer etcd = track(EtcdServer.start());
        Etcdctl etcdctl = Etcdctl.forServer(etcd);
        String service = "/service/stalled";
        String config = "/config" + service + "/";
        AgentJvm jvm = track(AgentJvm.withAgent("service=" + service + ",endpoints=" + etcd.endpoint()
                + ",host=127.0.0.1,ttl=2,snapshot=off").main(SlowConverterApp.class).start());
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        jvm.stdout().await("READY", WAIT);
        String key = service + "/127.0.0.1:" + port;
        await().atMost(WAIT).until(() -> etcdctl.get(key) != null);
        KeyEvents events = track(new KeyEvents(etcd.endpoint(), service + "/"));

        // 5 s in the application's factory, then a megabyte of digits for a BigDecimal.
        etcdctl.put(config + "slow", "first");
        etcdctl.putBytes(config + "price", "7".repeat(1 << 20).getBytes(StandardCharsets.UTF_8));
        etcdctl.put(config + "flag", "on");

        jvm.stdout().await("^VALUE slow=Slow\\(first\\)$", WAIT);
        jvm.stdout().await("^VALUE flag=on$", WAIT);
        jvm.stderr().await(config + "price: .*a number of 1048576 characters; the limit is 4096", WAIT);
        // A second slow value while the first is applied: the lease is kept all along.
        etcdctl.put(config + "slow", "second");
        jvm.stdout().await("^VALUE slow=Slow\\(second\\)$", WAIT);

        assertThat(events.keys("DELETE")).as("registration keys deleted while values were converted").isEmpty();
        assertThat(etcdctl.get(key)).isNotNull();
        assertThat(jvm.stderr().text()).doesNotContain("registering again");
        assertThat(jvm.stdout().lines()).contains("INITIAL price=1").doesNotContain("VALUE price=7");
    }
}
