package dev.etcdagent.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17: the operator's promotion toolkit with real JVMs and a real etcd: overrides by instance,
 * label and canary percentage, promote and abort, temporary values that etcd ends, history,
 * rollback, and the audit entry written in the same transaction as each change.
 */
class PromotionIT extends AgentTestSupport {

    private static final Pattern PRICE = Pattern.compile("(?:INITIAL|VALUE) price=(.*)");
    private static final String AUDIT = "/etcd-agent/audit";
    private static final String PASSWORD = "Promo-Pa55-never-logged";

    private static AgentTool tool() {
        return AgentTool.forEndpoints(etcd.endpoint());
    }

    /** The canary bucket as the README documents it: CRC-32 of the instance id's UTF-8 bytes, modulo 100. */
    private static int bucket(String id) {
        CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }

    /** The first id {@code prefix-N} whose bucket is in [from, to). */
    private static String idInBuckets(String prefix, int from, int to) {
        for (int i = 0; ; i++) {
            String id = prefix + "-" + i;
            if (bucket(id) >= from && bucket(id) < to) {
                return id;
            }
        }
    }

    private AgentJvm startInstance(String service, String id, String labels) {
        List<String> args = new ArrayList<>(List.of("instance=" + id));
        if (labels != null) {
            args.add("labels=" + labels);
        }
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service, args.toArray(new String[0])))
                .main(ConfigApp.class).args("listen"));
        jvm.stdout().await("READY", WAIT);
        return jvm;
    }

    /** The price the application itself last reported. */
    private static String price(AgentJvm jvm) {
        String last = null;
        for (String line : jvm.stdout().lines()) {
            Matcher matcher = PRICE.matcher(line);
            if (matcher.matches()) {
                last = matcher.group(1);
            }
        }
        return last;
    }

    private static void awaitPrice(AgentJvm jvm, String expected) {
        await("price " + expected + " in pid " + jvm.pid()).atMost(WAIT).until(() -> price(jvm), expected::equals);
    }

    private static void awaitLive(String service, int count) {
        await(count + " live records of " + service).atMost(WAIT).until(() -> {
            AgentTool.Result status = tool().run("status", service, "--json");
            return status.exitStatus == 0 ? json(status.stdout).size() : -1;
        }, size -> size == count);
    }

    private static AgentTool.Result ok(AgentTool.Result result) {
        assertThat(result.exitStatus).as(result.toString()).isZero();
        return result;
    }

    /** The instances a change's wait line names ("... whose value it changes: a, b"), sorted. */
    private static TreeSet<String> named(AgentTool.Result result) {
        Matcher matcher = Pattern.compile("whose value it changes: (.*)").matcher(result.stdout);
        assertThat(matcher.find()).as(result.toString()).isTrue();
        return new TreeSet<>(List.of(matcher.group(1).trim().split(", ")));
    }

    private static void assertApplied(AgentTool.Result result, String... instances) {
        for (String instance : instances) {
            assertThat(result.stdout).as(result.toString()).contains("  " + instance + "  applied (");
        }
        assertThat(result.stdout).contains("applied by all " + instances.length + " instance");
    }

    @Test
    void overridesReachExactlyTheirInstancesAndPromoteAbortHistoryAndRollbackWork() {
        String service = newService();
        String config = "/config" + service + "/price";
        String a = idInBuckets("a", 0, 34);
        String b = idInBuckets("b", 34, 50);
        String c = idInBuckets("c", 50, 100);
        String d = idInBuckets("d", 50, 100);
        AgentJvm jvmA = startInstance(service, a, "zone:eu,tier:gold");
        AgentJvm jvmB = startInstance(service, b, "zone:eu");
        AgentJvm jvmC = startInstance(service, c, null);
        awaitLive(service, 3);
        assertApplied(ok(tool().run("put", service, "price", "1", "--reason", "start price")), a, b, c);

        // --instances: one and only one.
        AgentTool.Result one = ok(tool().run("put", service, "price", "2", "--instances", b));
        assertThat(named(one)).containsExactly(b);
        assertApplied(one, b);
        awaitPrice(jvmB, "2");
        assertThat(etcdctl.get(config + "@instance=" + b)).isEqualTo("2");
        JsonNode got = json(ok(tool().run("get", service, "price", "--json")).stdout);
        assertThat(valueFor(got, a)).isEqualTo("1");
        assertThat(valueFor(got, b)).isEqualTo("2");
        assertThat(valueFor(got, c)).isEqualTo("1");
        assertThat(price(jvmA)).isEqualTo("1");
        assertThat(price(jvmC)).isEqualTo("1");
        ok(tool().run("abort", service, "price", "--instances", b));
        awaitPrice(jvmB, "1");

        // --where: the two labelled instances, and one that starts later with the label.
        AgentTool.Result eu = ok(tool().run("put", service, "price", "3", "--where", "zone=eu"));
        assertThat(named(eu)).containsExactlyInAnyOrder(a, b);
        awaitPrice(jvmA, "3");
        awaitPrice(jvmB, "3");
        AgentJvm jvmD = startInstance(service, d, "zone:eu");
        awaitPrice(jvmD, "3");
        assertThat(price(jvmC)).isEqualTo("1");
        // System.getProperty follows the override too.
        ok(tool().run("put", service, "feature.x", "eu-only", "--where", "zone=eu"));
        jvmA.stdout().await("VALUE prop.feature=eu-only", WAIT);
        assertThat(jvmC.stdout().text()).doesNotContain("prop.feature=eu-only");

        // abort: everyone back to the base value.
        awaitLive(service, 4);
        AgentTool.Result aborted = ok(tool().run("abort", service, "price"));
        assertThat(named(aborted)).containsExactlyInAnyOrder(a, b, d);
        for (AgentJvm jvm : List.of(jvmA, jvmB, jvmD)) {
            awaitPrice(jvm, "1");
        }

        // --canary: exactly the instances the documented hash puts below the percentage; raising keeps them.
        TreeSet<String> below34 = new TreeSet<>();
        TreeSet<String> below50 = new TreeSet<>();
        for (String id : List.of(a, b, c, d)) {
            if (bucket(id) < 34) {
                below34.add(id);
            }
            if (bucket(id) < 50) {
                below50.add(id);
            }
        }
        AgentTool.Result canary = ok(tool().run("put", service, "price", "4", "--canary", "34%", "--reason", "try it"));
        assertThat(named(canary)).isEqualTo(below34).containsExactly(a);
        awaitPrice(jvmA, "4");
        AgentTool.Result wider = ok(tool().run("put", service, "price", "4", "--canary", "50%", "--reason", "widen"));
        assertThat(named(wider)).isEqualTo(below50).containsExactlyInAnyOrder(a, b);
        awaitPrice(jvmB, "4");
        assertThat(price(jvmA)).isEqualTo("4");
        assertThat(price(jvmC)).isEqualTo("1");
        assertThat(price(jvmD)).isEqualTo("1");
        assertThat(etcdctl.getPrefix(config + "@")).containsOnlyKeys(config + "@canary=50");

        // promote: the override's value becomes the base value, the override goes.
        AgentTool.Result promoted = ok(tool().run("promote", service, "price", "--reason", "all good"));
        assertThat(named(promoted)).containsExactlyInAnyOrder(a, b, c, d);
        for (AgentJvm jvm : List.of(jvmA, jvmB, jvmC, jvmD)) {
            awaitPrice(jvm, "4");
        }
        assertThat(etcdctl.getPrefix(config + "@")).isEmpty();
        assertThat(etcdctl.get(config)).isEqualTo("4");

        // A change made with plain etcdctl shows in history, without who.
        etcdctl.put(config, "9");
        for (AgentJvm jvm : List.of(jvmA, jvmB, jvmC, jvmD)) {
            awaitPrice(jvm, "9");
        }
        AgentTool.Result history = ok(tool().run("history", service, "price"));
        assertThat(history.stdout).contains("- (etcdctl)", "put: try it", "put: widen", "promote: all good",
                "put: start price", System.getProperty("user.name") + "@");
        JsonNode changes = json(ok(tool().run("history", service, "price", "--json")).stdout).path("changes");
        assertThat(changes.get(0).path("value").asText()).isEqualTo("9");
        assertThat(changes.get(0).has("who")).isFalse();
        assertThat(changes.get(1).path("by").asText()).isEqualTo("promote");
        assertThat(changes.get(1).path("why").asText()).isEqualTo("all good");

        // rollback: the value before the last change, confirmed by all.
        AgentTool.Result rollback = ok(tool().run("rollback", service, "price", "--reason", "9 was a typo"));
        assertThat(rollback.stdout).contains("applied by all 4 instances");
        for (AgentJvm jvm : List.of(jvmA, jvmB, jvmC, jvmD)) {
            awaitPrice(jvm, "4");
        }
        assertThat(etcdctl.get(config)).isEqualTo("4");
        assertThat(ok(tool().run("history", service, "price")).stdout).contains("rollback: 9 was a typo");
    }

    private static String valueFor(JsonNode got, String instance) {
        for (JsonNode row : got.path("instances")) {
            if (row.path("instance").asText().equals(instance)) {
                return row.path("value").asText();
            }
        }
        throw new AssertionError("no instance " + instance + " in " + got);
    }

    @Test
    void aTemporaryValueEndsByItselfWithTheToolGoneAndEveryJvmRestartedMeanwhile() {
        String service = newService();
        String config = "/config" + service + "/price";
        String a = idInBuckets("a", 0, 100);
        String b = idInBuckets("b", 0, 100);
        etcdctl.put(config, "1");
        AgentJvm jvmA = startInstance(service, a, null);
        AgentJvm jvmB = startInstance(service, b, "zone:eu");
        awaitLive(service, 2);

        AgentTool.Result flash = ok(tool().run("put", service, "price", "5", "--for", "6s", "--reason", "flash sale"));
        assertThat(named(flash)).containsExactlyInAnyOrder(a, b);
        awaitPrice(jvmA, "5");
        awaitPrice(jvmB, "5");
        assertThat(etcdctl.leaseOf(config + "@all@temporary")).isNotZero();
        assertThat(ok(tool().run("get", service, "price")).stdout).containsPattern("all, temporary +5 +\\d+ +in \\ds");

        // Every JVM restarted while the value lasts, and no tool running: etcd ends it by itself.
        jvmA.sigterm();
        jvmB.sigterm();
        // 143: SIGTERM's exit status.
        assertThat(jvmA.waitForExit(WAIT)).isEqualTo(143);
        assertThat(jvmB.waitForExit(WAIT)).isEqualTo(143);
        AgentJvm againA = startInstance(service, a, null);
        AgentJvm againB = startInstance(service, b, "zone:eu");
        await("the temporary value's key is gone").atMost(WAIT).until(() -> etcdctl.get(config + "@all@temporary") == null);
        awaitPrice(againA, "1");
        awaitPrice(againB, "1");
        assertThat(etcdctl.get(config)).isEqualTo("1");

        // A scoped temporary value, ended early by abort.
        awaitLive(service, 2);
        AgentTool.Result eu = ok(tool().run("put", service, "price", "6", "--where", "zone=eu", "--for", "1h"));
        assertThat(named(eu)).containsExactly(b);
        awaitPrice(againB, "6");
        assertThat(ok(tool().run("get", service, "price")).stdout).containsPattern("label zone=eu, temporary +6 +\\d+ +in (59m|1h)");
        ok(tool().run("abort", service, "price"));
        awaitPrice(againB, "1");
        assertThat(price(againA)).isEqualTo("1");
    }

    @Test
    void theAuditEntryAndTheChangeAreOneTransactionUnderTheDocumentedRoles() {
        String service = newService();
        String config = "/config" + service + "/price";
        EtcdServer secured = track(EtcdServer.start());
        Etcdctl anonymous = secured.etcdctl();
        anonymous.run("user", "add", "root:rootpw");
        anonymous.run("role", "add", "agent");
        anonymous.run("role", "grant-permission", "agent", "--prefix=true", "read", "/config" + service + "/");
        anonymous.run("role", "grant-permission", "agent", "--prefix=true", "readwrite", service + "/");
        anonymous.run("role", "grant-permission", "agent", "--prefix=true", "readwrite", "/etcd-agent/status" + service + "/");
        anonymous.run("user", "add", "agent:" + PASSWORD);
        anonymous.run("user", "grant-role", "agent", "agent");
        anonymous.run("role", "add", "operator");
        anonymous.run("role", "grant-permission", "operator", "--prefix=true", "read", "/etcd-agent/status" + service + "/");
        anonymous.run("role", "grant-permission", "operator", "--prefix=true", "readwrite", "/config" + service + "/");
        anonymous.run("role", "grant-permission", "operator", "--prefix=true", "readwrite", AUDIT + service + "/");
        anonymous.run("user", "add", "alice:" + PASSWORD);
        anonymous.run("user", "grant-role", "alice", "operator");
        // May write the configuration, not the audit trail.
        anonymous.run("role", "add", "writer");
        anonymous.run("role", "grant-permission", "writer", "--prefix=true", "read", "/etcd-agent/status" + service + "/");
        anonymous.run("role", "grant-permission", "writer", "--prefix=true", "readwrite", "/config" + service + "/");
        anonymous.run("user", "add", "mallory:" + PASSWORD);
        anonymous.run("user", "grant-role", "mallory", "writer");
        anonymous.run("auth", "enable");
        Etcdctl root = secured.etcdctl().with("--user", "root:rootpw");

        AgentJvm jvm = start(AgentJvm.withAgent("service=" + service + ",endpoints=" + secured.endpoint()
                + ",host=127.0.0.1,ttl=2,snapshot=off,user=agent,instance=i-1,labels=zone:eu")
                .env("ETCD_AGENT_PASSWORD", PASSWORD).main(ConfigApp.class).args("listen"));
        jvm.stdout().await("READY", WAIT);
        AgentTool alice = AgentTool.forEndpoints(secured.endpoint()).with("--user", "alice")
                .env("ETCD_AGENT_PASSWORD", PASSWORD);
        AgentTool mallory = AgentTool.forEndpoints(secured.endpoint()).with("--user", "mallory")
                .env("ETCD_AGENT_PASSWORD", PASSWORD);
        await("the record of i-1").atMost(WAIT).until(() -> alice.run("status", service, "--json").stdout.contains("i-1"));

        AgentTool.Result put = ok(alice.run("put", service, "price", "7", "--where", "zone=eu", "--reason", "eu promo"));
        assertThat(put.stdout).contains("  i-1  applied (");
        awaitPrice(jvm, "7");
        Map<String, String> entries = root.getPrefix(AUDIT + service + "/");
        assertThat(entries).hasSize(1);
        String entryKey = entries.keySet().iterator().next();
        JsonNode entry = json(entries.get(entryKey));
        assertThat(entryKey).startsWith(AUDIT + service + config + "/");
        assertThat(entry.path("who").asText()).isEqualTo("alice");
        assertThat(entry.path("reason").asText()).isEqualTo("eu promo");
        assertThat(entry.path("scope").asText()).isEqualTo("label zone=eu");
        assertThat(entry.path("operation").asText()).isEqualTo("put");
        assertThat(entry.toString()).as("an audit entry never holds the value").doesNotContain("\"7\"");
        assertThat(root.modRevisionOf(entryKey)).isEqualTo(root.modRevisionOf(config + "@label=zone:eu"));
        assertThat(ok(alice.run("history", service, "price")).stdout).contains("alice", "put: eu promo");

        // Without the audit prefix: neither the change nor an entry.
        AgentTool.Result refused = mallory.run("put", service, "price", "8", "--reason", "sneaky");
        assertThat(refused.exitStatus).as(refused.toString()).isEqualTo(3);
        assertThat(refused.stderr).contains("permission denied").doesNotContain(PASSWORD);
        assertThat(root.get(config)).isNull();
        assertThat(root.get(config + "@label=zone:eu")).isEqualTo("7");
        assertThat(root.getPrefix(AUDIT + service + "/")).hasSize(1);
        assertThat(price(jvm)).isEqualTo("7");
    }
}
