package dev.etcdagent.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.launch.AgentJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 3: @Dynamic fields and System.getProperty follow etcd. */
class LiveConfigurationIT extends AgentTestSupport {

    private static String config(String service) {
        return "/config" + service;
    }

    @Test
    void valuesPutBeforeStartAreSeenByTheFirstRead() {
        String service = newService();
        String config = config(service);
        etcdctl.put(config + "/promo.enabled", "yes");
        etcdctl.put("/global/discount", "15");
        etcdctl.put(config + "/dev.etcdagent.it.apps.ConfigApp.timeout", "200ms");
        etcdctl.put(config + "/feature.x", "from-etcd");
        try {
            AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(ConfigApp.class));
            jvm.stdout().await("READY", WAIT);

            assertThat(jvm.stdout().lines()).contains("INITIAL enabled=true", "INITIAL discount=15",
                    "INITIAL timeout=PT0.2S", "INITIAL prop.feature=from-etcd", "INITIAL prop.map=from-etcd",
                    "INITIAL prop.names=true");
        } finally {
            etcdctl.del("/global/discount");
        }
    }

    @Test
    void putChangesTheFieldAndDeleteRestoresTheDeclaredValue() {
        String service = newService();
        String config = config(service);
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(ConfigApp.class));
        jvm.stdout().await("READY", WAIT);
        assertThat(jvm.stdout().lines()).contains("INITIAL enabled=false", "INITIAL price=9.99",
                "INITIAL level=LOW", "INITIAL names=[a]", "INITIAL ports=[80]", "INITIAL greeting=hello");

        etcdctl.put(config + "/promo.enabled", "ON");
        etcdctl.put(config + "/price", " 19.50 ");
        etcdctl.put(config + "/level", "HIGH");
        etcdctl.put(config + "/names", "x, y,z");
        etcdctl.put(config + "/ports", "8080,8443");
        etcdctl.put(config + "/tags", "b,a,b");
        etcdctl.put(config + "/ratio", "0.75");
        etcdctl.put(config + "/greeting", "  hi there ");
        jvm.stdout().await("VALUE enabled=true", WAIT);
        jvm.stdout().await("VALUE price=19.50", WAIT);
        jvm.stdout().await("VALUE level=HIGH", WAIT);
        jvm.stdout().await("VALUE names=\\[x, y, z\\]", WAIT);
        jvm.stdout().await("VALUE ports=\\[8080, 8443\\]", WAIT);
        jvm.stdout().await("VALUE tags=\\[b, a\\]", WAIT);
        jvm.stdout().await("VALUE ratio=0.75", WAIT);
        jvm.stdout().await("VALUE greeting=  hi there ", WAIT);
        jvm.stderr().await(config + "/promo.enabled: false -> true \\(revision \\d+\\) -> "
                + "dev.etcdagent.it.apps.ConfigApp.enabled", WAIT);

        etcdctl.del(config + "/promo.enabled");
        etcdctl.del(config + "/names");
        jvm.stdout().await("VALUE enabled=false", WAIT);
        jvm.stdout().await("VALUE names=\\[a\\]", WAIT);
    }

    @Test
    void badValueKeepsTheFieldAndTheNextGoodValueApplies() {
        String service = newService();
        String config = config(service);
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(ConfigApp.class));
        jvm.stdout().await("READY", WAIT);
        etcdctl.put(config + "/price", "12");
        jvm.stdout().await("VALUE price=12", WAIT);

        etcdctl.put(config + "/price", "twelve");
        etcdctl.put(config + "/level", "high");
        etcdctl.put(config + "/promo.enabled", "maybe");
        etcdctl.put(config + "/ports", "80,,81");
        jvm.stderr().await(config + "/price: value \\(6 chars\\) not applied to dev.etcdagent.it.apps.ConfigApp.price"
                + " \\(BigDecimal\\): not a decimal number; the field keeps its current value", WAIT);
        jvm.stderr().await("/level: value \\(4 chars\\) not applied to .*ConfigApp.level .*not one of LOW, MEDIUM, HIGH", WAIT);
        jvm.stderr().await("/promo.enabled: value \\(5 chars\\) not applied .*not a boolean", WAIT);
        jvm.stderr().await("/ports: value \\(6 chars\\) not applied .*element 2 of the list is empty", WAIT);

        etcdctl.put(config + "/price", "13");
        jvm.stdout().await("VALUE price=13", WAIT);
        assertThat(jvm.stdout().lines()).noneMatch(line -> line.startsWith("VALUE level="))
                .noneMatch(line -> line.startsWith("VALUE enabled=")).noneMatch(line -> line.startsWith("VALUE ports="));
    }

    @Test
    void compileTimeConstantsAndInstanceFieldsAreExplained() {
        String service = newService();
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(ConfigApp.class));
        jvm.stdout().await("READY", WAIT);

        jvm.stderr().await("field dev.etcdagent.it.apps.ConfigApp.constant is a compile-time constant", WAIT);
        jvm.stderr().await("@Dynamic field dev.etcdagent.it.apps.ConfigApp.notStatic is an instance field", WAIT);
    }

    @Test
    void systemPropertiesFollowTheConfigPrefixButNeverJdkOwnedNames() {
        String service = newService();
        String config = config(service);
        etcdctl.put(config + "/java.version", "1.0");
        etcdctl.put(config + "/user.name", "mallory");
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).jvmArg("-Down.prop=mine").main(ConfigApp.class));
        jvm.stdout().await("READY", WAIT);
        assertThat(jvm.stdout().lines()).contains("INITIAL prop.feature=null", "INITIAL prop.default=fallback",
                "INITIAL prop.own=mine", "INITIAL prop.boolean=false", "INITIAL prop.integer=null");

        etcdctl.put(config + "/feature.x", "on");
        etcdctl.put(config + "/feature.y", "set");
        etcdctl.put(config + "/flag.b", "true");
        etcdctl.put(config + "/limit.n", "42");
        etcdctl.put(config + "/limit.l", "9000000000");
        etcdctl.put(config + "/own.prop", "etcds");
        jvm.stdout().await("VALUE prop.feature=on", WAIT);
        jvm.stdout().await("VALUE prop.properties=on", WAIT);
        jvm.stdout().await("VALUE prop.map=on", WAIT);
        jvm.stdout().await("VALUE prop.names=true", WAIT);
        jvm.stdout().await("VALUE prop.default=set", WAIT);
        jvm.stdout().await("VALUE prop.boolean=true", WAIT);
        jvm.stdout().await("VALUE prop.integer=42", WAIT);
        jvm.stdout().await("VALUE prop.long=9000000000", WAIT);
        jvm.stdout().await("VALUE prop.own=etcds", WAIT);

        etcdctl.del(config + "/own.prop");
        etcdctl.del(config + "/feature.y");
        jvm.stdout().await("VALUE prop.own=mine", WAIT);
        jvm.stdout().await("VALUE prop.default=fallback", WAIT);
        assertThat(jvm.stdout().lines()).noneMatch(line -> line.startsWith("VALUE prop.java.version"))
                .noneMatch(line -> line.startsWith("VALUE prop.user.name"))
                .contains("INITIAL prop.java.version=" + javaVersionOf(jvm));
        jvm.stderr().await(config + "/java.version: not applied: java.version is a JDK-owned system property", WAIT);
    }

    @Test
    void burstOfAThousandPutsLeavesEveryJvmOfTheServiceOnTheLastValue() throws Exception {
        String service = newService();
        String key = config(service) + "/price";
        List<AgentJvm> jvms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jvms.add(start(AgentJvm.withAgent(agentArgs(service)).main(ConfigApp.class)));
        }
        for (AgentJvm jvm : jvms) {
            jvm.stdout().await("READY", WAIT);
        }

        // One etcdctl process per put would take minutes: a txn-free loop through stdin of one etcdctl is
        // not available, so the burst goes through a small script of 1000 puts.
        Path script = Files.createTempFile("burst", ".sh");
        StringBuilder text = new StringBuilder("set -e\n");
        for (int i = 1; i <= 1000; i++) {
            text.append("ETCDCTL_API=3 /usr/bin/etcdctl --endpoints=").append(etcd.endpoint())
                    .append(" put ").append(key).append(' ').append(i).append(" >/dev/null &\n");
            if (i % 50 == 0) {
                text.append("wait\n");
            }
        }
        text.append("wait\nETCDCTL_API=3 /usr/bin/etcdctl --endpoints=").append(etcd.endpoint())
                .append(" put ").append(key).append(" 1001 >/dev/null\n");
        Files.writeString(script, text.toString(), StandardCharsets.UTF_8);
        Process burst = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        assertThat(burst.waitFor()).isZero();
        Files.delete(script);

        for (AgentJvm jvm : jvms) {
            jvm.stdout().await("VALUE price=1001", Duration.ofSeconds(60));
        }
        assertThat(etcdctl.get(key)).isEqualTo("1001");
    }

    @Test
    void frozenJvmWhoseWatchRevisionWasCompactedConverges() {
        String service = newService();
        String config = config(service);
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service, "ttl=30")).main(ConfigApp.class));
        jvm.stdout().await("READY", WAIT);
        etcdctl.put(config + "/price", "1");
        etcdctl.put(config + "/level", "MEDIUM");
        jvm.stdout().await("VALUE price=1", WAIT);
        jvm.stdout().await("VALUE level=MEDIUM", WAIT);

        jvm.sigstop();
        etcdctl.put(config + "/price", "2");
        etcdctl.put(config + "/price", "3");
        etcdctl.del(config + "/level");
        etcdctl.put(config + "/names", "after,compaction");
        etcdctl.compact(etcdctl.revision());
        jvm.sigcont();

        jvm.stdout().await("VALUE price=3", WAIT);
        jvm.stdout().await("VALUE level=LOW", WAIT);
        jvm.stdout().await("VALUE names=\\[after, compaction\\]", WAIT);
        assertThat(jvm.isAlive()).isTrue();
    }

    @Test
    void snapshotStandsInWhileEtcdIsUnreachableAtStart() throws Exception {
        String service = newService();
        String config = config(service);
        Path snapshot = Files.createTempDirectory("snapshot").resolve("a.json");
        String args = "service=" + service + ",endpoints=" + etcd.endpoint() + ",ttl=2,snapshot=" + snapshot;
        etcdctl.put(config + "/price", "42.5");
        AgentJvm first = start(AgentJvm.withAgent(args).main(ConfigApp.class));
        first.stdout().await("READY", WAIT);
        await().atMost(WAIT).until(() -> Files.exists(snapshot)
                && Files.readString(snapshot).contains("\"" + config + "/price\" : \"42.5\""));
        first.close();

        etcd.stop();
        try {
            AgentJvm second = start(AgentJvm.withAgent(args).main(ConfigApp.class));
            second.stdout().await("READY", WAIT);
            assertThat(second.stdout().lines()).contains("INITIAL price=42.5");
            second.stderr().await("cannot be read at start: using 1 values from snapshot", WAIT);

            etcd.startAgain();
            etcd.awaitHealthy();
            etcdctl.put(config + "/price", "43");
            second.stdout().await("VALUE price=43", WAIT);
        } finally {
            if (!etcd.isRunning()) {
                etcd.startAgain();
                etcd.awaitHealthy();
            }
        }
    }

    private static String javaVersionOf(AgentJvm jvm) {
        return jvm.stdout().lines().stream().filter(line -> line.startsWith("INITIAL prop.java.version="))
                .findFirst().orElseThrow().substring("INITIAL prop.java.version=".length());
    }
}
