package dev.etcdagent.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.tools.attach.VirtualMachine;
import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.apps.HttpServerApp;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.EtcdRelay;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 10: status records, and the operator's tool that reads them (status) and waits on them (put, delete). */
class OperatorToolIT extends AgentTestSupport {

    private static final String STATUS = "/etcd-agent/status";
    private static final String PASSWORD = "Op-Pa55-never-logged";

    private static AgentTool tool() {
        return AgentTool.forEndpoints(etcd.endpoint());
    }

    /** A ConfigApp instance of {@code service} that listens; returns it once its port is known. */
    private Instance startConfigApp(String service, String... args) {
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service, args)).main(ConfigApp.class).args("listen"));
        String port = jvm.stdout().await("LISTENING (\\d+)", WAIT);
        // Registered through the JSON gateway first; these scenarios are about the session's watches
        // and records (the relay holds gRPC's answers), so each instance is up once its session is.
        jvm.stderr().await("connected to etcd", WAIT);
        return new Instance(jvm, "127.0.0.1:" + port);
    }

    private static final class Instance {
        final AgentJvm jvm;
        final String address;

        Instance(AgentJvm jvm, String address) {
            this.jvm = jvm;
            this.address = address;
        }
    }

    /** The records {@code status --json} lists, once there are exactly {@code count} with an address each. */
    private static JsonNode awaitRecords(AgentTool tool, String service, int count) {
        return await("status --json lists " + count + " records of " + service).atMost(WAIT).until(() -> {
            AgentTool.Result result = tool.run("status", service, "--json");
            assertThat(result.exitStatus).as(result.toString()).isZero();
            return json(result.stdout);
        }, records -> records.size() == count && allHaveAddresses(records));
    }

    private static boolean allHaveAddresses(JsonNode records) {
        for (JsonNode record : records) {
            if (record.path("addr").isNull() || record.path("addr").isMissingNode()) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode recordOf(JsonNode records, String address) {
        for (JsonNode record : records) {
            if (address.equals(record.path("addr").asText())) {
                return record;
            }
        }
        throw new AssertionError("no record with addr " + address + " in " + records);
    }

    @Test
    void threeInstancesAreListedConfirmAGoodValueAndNameABadOneUntilAGoodOneApplies() throws Exception {
        String service = newService();
        String secret = "s3cret-value-" + service.hashCode();
        etcdctl.put("/config" + service + "/feature.x", secret);
        List<Instance> instances = new ArrayList<>();
        // Labels as operators give them: a list in the agent argument, shown by status.
        String[] labels = {"labels=zone:eu,tier:gold", "labels=zone:eu", null};
        for (String label : labels) {
            instances.add(label == null ? startConfigApp(service) : startConfigApp(service, label));
        }
        for (Instance instance : instances) {
            instance.jvm.stdout().await("READY", WAIT);
        }

        JsonNode records = awaitRecords(tool(), service, 3);
        assertThat(recordOf(records, instances.get(0).address).path("labels").toString())
                .isEqualTo("{\"tier\":\"gold\",\"zone\":\"eu\"}");
        assertThat(recordOf(records, instances.get(2).address).has("labels")).as("no labels, no field").isFalse();
        for (Instance instance : instances) {
            JsonNode record = recordOf(records, instance.address);
            assertThat(record.path("pid").asLong()).isEqualTo(instance.jvm.pid());
            assertThat(record.path("service").asText()).isEqualTo(service);
            assertThat(record.path("instance").asText()).isEqualTo(instance.address);
            assertThat(record.path("java").asText()).isNotEmpty();
            assertThat(record.path("ranges").toString()).contains("/config" + service + "/", "/global/discount");
            // A record put before the JVM listened is keyed pid@host, and moves to the address once it does.
            await().atMost(WAIT).until(() -> etcdctl.get(STATUS + service + "/" + instance.address) != null);
        }
        assertThat(records.toString()).as("a record never holds a configuration value").doesNotContain(secret);
        AgentTool.Result table = tool().run("status", service);
        assertThat(table.exitStatus).as(table.toString()).isZero();
        assertThat(table.stdout).contains("3 live instances of " + service + "; etcd revision ");
        for (Instance instance : instances) {
            assertThat(table.stdout).contains(instance.address + "  " + instance.address + "  " + instance.jvm.pid());
        }
        assertThat(table.lines()).first().asString().endsWith("REJECTED  LABELS");
        assertThat(table.lines()).anySatisfy(line -> assertThat(line).startsWith(instances.get(0).address)
                .endsWith("  tier:gold,zone:eu"));
        assertThat(table.lines()).anySatisfy(line -> assertThat(line).startsWith(instances.get(2).address)
                .endsWith("  -"));

        AgentTool.Result good = tool().run("put", service, "price", "12.5");
        assertThat(good.exitStatus).as(good.toString()).isZero();
        assertThat(good.stdout).contains("applied by all 3 instances in ");
        for (Instance instance : instances) {
            assertThat(good.stdout).contains("  " + instance.address + "  applied (");
            instance.jvm.stdout().await("VALUE price=12.5", WAIT);
        }

        AgentTool.Result bad = tool().run("put", service, "price", "twelve");
        assertThat(bad.exitStatus).as(bad.toString()).isEqualTo(1);
        for (Instance instance : instances) {
            assertThat(bad.stdout).contains("  " + instance.address + "  rejected: not a decimal number ("
                    + ConfigApp.class.getName() + ".price)");
        }
        assertThat(bad.stdout).contains("rejected by 3 of 3 instances");
        JsonNode afterBad = json(tool().run("status", service, "--json").stdout);
        for (Instance instance : instances) {
            JsonNode rejected = recordOf(afterBad, instance.address).path("rejected").path("/config" + service + "/price");
            assertThat(rejected.path("field").asText()).isEqualTo(ConfigApp.class.getName() + ".price");
            assertThat(rejected.path("reason").asText()).isEqualTo("not a decimal number");
            assertThat(rejected.path("revision").asLong()).isPositive();
        }
        assertThat(afterBad.toString()).doesNotContain("twelve");
        assertThat(rejectedCountOverJmx(instances.get(0).jvm)).isEqualTo(1);

        AgentTool.Result fixed = tool().run("put", service, "price", "13");
        assertThat(fixed.exitStatus).as(fixed.toString()).isZero();
        JsonNode afterFix = json(tool().run("status", service, "--json").stdout);
        for (Instance instance : instances) {
            assertThat(recordOf(afterFix, instance.address).path("rejected").size()).isZero();
            instance.jvm.stdout().await("VALUE price=13", WAIT);
        }
        assertThat(rejectedCountOverJmx(instances.get(0).jvm)).isZero();
    }

    /** Reads the MXBean {@code dev.etcdagent:type=Agent} of a child JVM through the attach API. */
    @SuppressWarnings("BanJNDI") // reads our own MXBean in a child JVM this test started: no untrusted input
    private static int rejectedCountOverJmx(AgentJvm jvm) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(jvm.pid()));
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName("dev.etcdagent:type=Agent");
                assertThat(server.getAttribute(name, "Connected")).isEqualTo(true);
                assertThat((String) server.getAttribute(name, "Endpoint")).isEqualTo(etcd.endpoint());
                assertThat((Long) server.getAttribute(name, "Revision")).isPositive();
                return (Integer) server.getAttribute(name, "RejectedCount");
            }
        } finally {
            vm.detach();
        }
    }

    @Test
    void aFrozenInstanceMakesPutExit2NamingIt() {
        String service = newService();
        // A long TTL: the frozen JVM's lease, and so its record, outlive the wait.
        Instance running = startConfigApp(service, "ttl=60");
        Instance frozen = startConfigApp(service, "ttl=60");
        awaitRecords(tool(), service, 2);
        frozen.jvm.sigstop();

        AgentTool.Result result = tool().run("put", service, "level", "HIGH", "--wait", "3s");
        assertThat(result.exitStatus).as(result.toString()).isEqualTo(2);
        assertThat(result.stdout).contains("  " + running.address + "  applied (",
                "  " + frozen.address + "  not confirmed within 3 s",
                "not confirmed by 1 of 2 instances within 3 s: " + frozen.address);
        running.jvm.stdout().await("VALUE level=HIGH", WAIT);
    }

    /**
     * Runs {@code put SERVICE NAME VALUE ARGS...} in the background and returns once the value is in etcd:
     * by then the tool has read and is watching the records.
     */
    private static CompletableFuture<AgentTool.Result> putInBackground(String service, String name, String value,
                                                                       String... args) {
        List<String> command = new ArrayList<>(List.of("put", service, name, value));
        command.addAll(List.of(args));
        CompletableFuture<AgentTool.Result> put = CompletableFuture.supplyAsync(
                () -> tool().run(command.toArray(new String[0])));
        String key = "/config" + service + "/" + name;
        await("the tool's put of " + key).atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> put.isDone() || value.equals(etcdctl.get(key)));
        return put;
    }

    private static AgentTool.Result result(CompletableFuture<AgentTool.Result> run) throws Exception {
        return run.get(AgentTool.TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
    }

    @Test
    void anInstanceFrozenUntilItsLeaseExpiresDuringTheWaitIsNotConfirmed() throws Exception {
        String service = newService();
        EtcdRelay relay = track(EtcdRelay.to(etcd.endpoint()));
        Instance first = startConfigApp(service);
        Instance second = startConfigApp(service);
        Instance frozen = startConfigApp(service, "endpoints=" + relay.endpoint());
        awaitRecords(tool(), service, 3);
        // The put must not reach it before it is frozen: its requests still pass, etcd's answers wait in the relay.
        relay.holdAnswers();

        CompletableFuture<AgentTool.Result> put = putInBackground(service, "level", "HIGH", "--wait", "3s");
        frozen.jvm.sigstop();

        AgentTool.Result result = result(put);
        assertThat(result.exitStatus).as(result.toString()).isEqualTo(2);
        assertThat(result.stdout).contains("  " + first.address + "  applied (", "  " + second.address + "  applied (",
                "  " + frozen.address + "  gone without a clean exit (its lease expired",
                "  " + frozen.address + "  not confirmed within 3 s (gone without a clean exit and not back",
                "not confirmed by 1 of 3 instances within 3 s: " + frozen.address + "; applied by 2");
    }

    @Test
    void anInstanceThatComesBackAndConfirmsBeforeTheDeadlineIsApplied() throws Exception {
        String service = newService();
        EtcdRelay relay = track(EtcdRelay.to(etcd.endpoint()));
        Instance steady = startConfigApp(service);
        Instance frozen = startConfigApp(service, "endpoints=" + relay.endpoint());
        awaitRecords(tool(), service, 2);
        relay.holdAnswers();

        CompletableFuture<AgentTool.Result> put = putInBackground(service, "level", "MEDIUM", "--wait", "30s");
        frozen.jvm.sigstop();
        await("the frozen JVM's record gone with its 2 s lease").atMost(WAIT)
                .until(() -> etcdctl.get(STATUS + service + "/" + frozen.address) == null);
        relay.releaseAnswers();
        frozen.jvm.sigcont();

        AgentTool.Result result = result(put);
        assertThat(result.exitStatus).as(result.toString()).isZero();
        assertThat(result.stdout).contains("  " + frozen.address + "  gone without a clean exit",
                "  " + steady.address + "  applied (", "  " + frozen.address + "  applied (",
                "applied by all 2 instances in ");
        frozen.jvm.stdout().await("VALUE level=MEDIUM", WAIT);
    }

    @Test
    void anInstanceStoppedCleanlyDuringTheWaitIsReportedAndNotWaitedFor() throws Exception {
        String service = newService();
        EtcdRelay relay = track(EtcdRelay.to(etcd.endpoint()));
        Instance steady = startConfigApp(service);
        // A long lease: only the record's last words and the revoke at exit can remove it during the wait.
        Instance stopping = startConfigApp(service, "endpoints=" + relay.endpoint(), "ttl=60");
        awaitRecords(tool(), service, 2);
        relay.holdAnswers();

        CompletableFuture<AgentTool.Result> put = putInBackground(service, "level", "HIGH", "--wait", "30s");
        stopping.jvm.sigterm();
        stopping.jvm.waitForExit(WAIT);

        AgentTool.Result result = result(put);
        assertThat(result.exitStatus).as(result.toString()).isZero();
        assertThat(result.stdout).contains("  " + steady.address + "  applied (",
                "  " + stopping.address + "  stopped cleanly during the wait; not waited for",
                "applied by all 1 instance in ", "; 1 stopped cleanly during the wait (" + stopping.address + ")")
                .doesNotContain("not confirmed");
    }

    @Test
    void aKeyNoLiveInstanceFollowsIsExit4NamingTheKeyAndWhatTheInstancesFollow() {
        String service = newService();
        String value = "v-" + Math.abs(service.hashCode());
        startConfigApp(service);
        awaitRecords(tool(), service, 1);

        AgentTool.Result misspelt = tool().run("put", service, "/global/discont", value);
        assertThat(misspelt.exitStatus).as(misspelt.toString()).isEqualTo(4);
        assertThat(misspelt.stdout).contains("put /global/discont (revision ",
                "no live instance of " + service + " follows /global/discont: its 1 live instance follows /config"
                        + service + "/, /global/discount (check NAME)");

        String custom = newService();
        startConfigApp(custom, "config=/custom" + custom);
        awaitRecords(tool(), custom, 1);
        AgentTool.Result forgotten = tool().run("put", custom, "price", value);
        assertThat(forgotten.exitStatus).as(forgotten.toString()).isEqualTo(4);
        assertThat(forgotten.stdout).contains("no live instance of " + custom + " follows /config" + custom
                + "/price: its 1 live instance follows /custom" + custom + "/, /global/discount (check NAME, and"
                + " --config when their configuration prefix is not /config" + custom + ")");
        AgentTool.Result withConfig = tool().run("put", custom, "price", "3", "--config", "/custom" + custom);
        assertThat(withConfig.exitStatus).as(withConfig.toString()).isZero();

        AgentTool.Result noInstance = tool().run("put", "/service/nobody", "price", value);
        assertThat(noInstance.exitStatus).as(noInstance.toString()).isEqualTo(4);
        assertThat(noInstance.stdout).contains("no live instance of /service/nobody follows /config/service/nobody/price:"
                + " none has a status record under " + STATUS + "/service/nobody/");
        for (AgentTool.Result result : List.of(misspelt, forgotten, noInstance)) {
            assertThat(result.stdout + result.stderr).as("the value is never printed").doesNotContain(value);
        }
    }

    @Test
    void malformedRecordsAreSkippedWithOneWarningEachAndTheRestWorks() {
        String service = newService();
        String secret = "s3cret-" + Math.abs(service.hashCode());
        Instance instance = startConfigApp(service);
        awaitRecords(tool(), service, 1);
        String prefix = STATUS + service + "/";
        etcdctl.put(prefix + "not-json", secret);
        etcdctl.put(prefix + "range-without-key", "{\"service\":\"" + service + "\",\"instance\":\"" + secret
                + "\",\"ranges\":[{\"prefix\":true,\"revision\":1}]}");
        etcdctl.put(prefix + "pid-not-a-number", "{\"service\":\"" + service + "\",\"instance\":\"x\",\"pid\":\""
                + secret + "\"}");
        List<String> warnings = List.of(
                "etcd-agent: skipping " + prefix + "not-json: not a status record (not a JSON object)",
                "etcd-agent: skipping " + prefix + "pid-not-a-number: not a status record (\"pid\" is not a number)",
                "etcd-agent: skipping " + prefix + "range-without-key: not a status record (ranges[0]: no \"key\")");

        AgentTool.Result status = tool().run("status", service);
        assertThat(status.exitStatus).as(status.toString()).isZero();
        assertThat(status.stdout).contains("1 live instance of " + service, instance.address);
        assertThat(status.stderr.lines()).containsExactlyElementsOf(warnings);
        AgentTool.Result records = tool().run("status", service, "--json");
        assertThat(json(records.stdout).size()).isEqualTo(1);

        AgentTool.Result put = tool().run("put", service, "price", "4");
        assertThat(put.exitStatus).as(put.toString()).isZero();
        assertThat(put.stdout).contains("  " + instance.address + "  applied (", "applied by all 1 instance in ");
        assertThat(put.stderr.lines()).containsExactlyElementsOf(warnings);
        for (AgentTool.Result result : List.of(status, records, put)) {
            assertThat(result.stdout + result.stderr).doesNotContain(secret, "internal error");
        }
    }

    @Test
    void recordsGoWithTheJvmAtOnceOnSigtermAndWithinTheTtlOnKill9() {
        String service = newService();
        Instance terminated = startConfigApp(service, "ttl=60");
        Instance killed = startConfigApp(service, "ttl=2");
        awaitRecords(tool(), service, 2);

        terminated.jvm.sigterm();
        terminated.jvm.waitForExit(WAIT);
        // With a 60 s lease, only the revoke at exit removes the record this soon.
        await("the SIGTERM'd JVM's record gone").atMost(Duration.ofSeconds(10))
                .until(() -> etcdctl.get(STATUS + service + "/" + terminated.address) == null);

        killed.jvm.kill9();
        await("the killed JVM's record gone within its 2 s lease").atMost(Duration.ofSeconds(10))
                .until(() -> etcdctl.getPrefix(STATUS + service + "/").isEmpty());
        AgentTool.Result status = tool().run("status", service);
        assertThat(status.stdout).contains("0 live instances of " + service);
    }

    @Test
    void putOfAnAbsoluteKeyWaitsForTheInstancesThatFollowItOnly() {
        String service = newService();
        Instance follower = startConfigApp(service);
        AgentJvm other = start(AgentJvm.withAgent(agentArgs(service)).main(HttpServerApp.class));
        String otherAddress = "127.0.0.1:" + other.stdout().await("LISTENING (\\d+)", WAIT);
        awaitRecords(tool(), service, 2);

        AgentTool.Result result = tool().run("put", service, "/global/discount", "15");
        assertThat(result.exitStatus).as(result.toString()).isZero();
        assertThat(result.stdout).contains("waiting up to 10 s for the 1 live instance of " + service,
                "  " + follower.address + "  applied (", "applied by all 1 instance in ")
                .doesNotContain(otherAddress);
        follower.jvm.stdout().await("VALUE discount=15", WAIT);

        AgentTool.Result deleted = tool().run("delete", service, "/global/discount");
        assertThat(deleted.exitStatus).as(deleted.toString()).isZero();
        assertThat(deleted.stdout).contains("  " + follower.address + "  applied (").doesNotContain(otherAddress);
        follower.jvm.stdout().await("VALUE discount=0", WAIT);

        AgentTool.Result relative = tool().run("put", service, "price", "2");
        assertThat(relative.exitStatus).as(relative.toString()).isZero();
        assertThat(relative.stdout).contains("applied by all 2 instances", follower.address, otherAddress);

        // Every instance follows the prefix, and every one refuses a JDK-owned property.
        AgentTool.Result jdkOwned = tool().run("put", service, "java.home", "/opt/elsewhere");
        assertThat(jdkOwned.exitStatus).as(jdkOwned.toString()).isEqualTo(1);
        assertThat(jdkOwned.stdout).contains("  " + otherAddress + "  rejected: a JDK-owned name, never overridden"
                + " from etcd (System.getProperty(\"java.home\"))", "rejected by 2 of 2 instances");
    }

    @Test
    void badUsageAndUnreachableEtcdAreOneLineAndExit3() {
        AgentTool.Result help = tool().run("put", "--help");
        assertThat(help.exitStatus).isZero();
        String putUsage = "java -jar etcd-agent.jar put SERVICE NAME VALUE [--instances ID,...|--where NAME=VALUE"
                + "|--canary N%] [--for 24h] [--reason TEXT] [--wait 10s]";
        assertThat(help.stdout).contains("Usage: " + putUsage);

        assertOneLineFailure(tool().run("put", "/service/x", "price"),
                "etcd-agent: put: missing VALUE; usage: " + putUsage);
        assertOneLineFailure(tool().run("status", "service/x"),
                "etcd-agent: --service='service/x' must start with '/', e.g. /service/a");
        assertOneLineFailure(tool().run("put", "/service/x", "a", "1", "--wait", "soon"),
                "etcd-agent: --wait soon is not a duration: write e.g. 10s, 500ms, 1m or 0");
        assertOneLineFailure(tool().run("frobnicate"),
                "etcd-agent: unknown command 'frobnicate': give status, get, put, delete, promote, abort, history or"
                        + " rollback; see --help");
        AgentTool.Result unreachable = AgentTool.forEndpoints("http://127.0.0.1:1").run("put", "/service/x", "a", "1");
        assertThat(unreachable.exitStatus).as(unreachable.toString()).isEqualTo(3);
        assertThat(unreachable.stderr.strip()).as(unreachable.toString())
                // The tool reads the key and its overrides first, to know what the change does.
                .startsWith("etcd-agent: cannot read /config/service/x/a: etcd http://127.0.0.1:1 is unreachable")
                .doesNotContain("\n", "Exception", "\tat ");
        assertThat(unreachable.stdout).isEmpty();
    }

    private static void assertOneLineFailure(AgentTool.Result result, String line) {
        assertThat(result.exitStatus).as(result.toString()).isEqualTo(3);
        assertThat(result.stderr).as(result.toString()).isEqualTo(line + "\n");
        assertThat(result.stdout).isEmpty();
    }

    /** The README's roles: the agent's least privilege plus its status records, and the operator's. */
    private EtcdServer etcdWithDocumentedRoles(String service) {
        EtcdServer secured = track(EtcdServer.start());
        Etcdctl anonymous = secured.etcdctl();
        anonymous.run("user", "add", "root:rootpw");
        anonymous.run("role", "add", "service-a");
        anonymous.run("role", "grant-permission", "service-a", "--prefix=true", "read", "/config" + service + "/");
        anonymous.run("role", "grant-permission", "service-a", "--prefix=true", "readwrite", service + "/");
        anonymous.run("role", "grant-permission", "service-a", "--prefix=true", "readwrite", STATUS + service + "/");
        anonymous.run("role", "grant-permission", "service-a", "read", "/global/discount");
        anonymous.run("user", "add", "service-a-agent:" + PASSWORD);
        anonymous.run("user", "grant-role", "service-a-agent", "service-a");
        anonymous.run("role", "add", "service-a-operator");
        anonymous.run("role", "grant-permission", "service-a-operator", "--prefix=true", "read", STATUS + service + "/");
        anonymous.run("role", "grant-permission", "service-a-operator", "--prefix=true", "readwrite",
                "/config" + service + "/");
        // The audit entries the tool writes in the same transaction as each change.
        anonymous.run("role", "grant-permission", "service-a-operator", "--prefix=true", "readwrite",
                "/etcd-agent/audit" + service + "/");
        anonymous.run("user", "add", "alice:" + PASSWORD);
        anonymous.run("user", "grant-role", "alice", "service-a-operator");
        anonymous.run("auth", "enable");
        return secured;
    }

    @Test
    void withAuthTheDocumentedRolesAreEnough() {
        String service = newService();
        EtcdServer secured = etcdWithDocumentedRoles(service);
        AgentJvm jvm = track(AgentJvm.withAgent("service=" + service + ",endpoints=" + secured.endpoint()
                + ",host=127.0.0.1,ttl=2,snapshot=off,user=service-a-agent").env("ETCD_AGENT_PASSWORD", PASSWORD)
                .main(ConfigApp.class).args("listen").start());
        String address = "127.0.0.1:" + jvm.stdout().await("LISTENING (\\d+)", WAIT);
        AgentTool operator = AgentTool.forEndpoints(secured.endpoint()).with("--user", "alice")
                .env("ETCD_AGENT_PASSWORD", PASSWORD);
        awaitRecords(operator, service, 1);

        AgentTool.Result put = operator.run("put", service, "price", "7");
        assertThat(put.exitStatus).as(put.toString()).isZero();
        assertThat(put.stdout).contains("  " + address + "  applied (");
        jvm.stdout().await("VALUE price=7", WAIT);
        assertThat(jvm.stderr().text()).doesNotContain("permission denied", PASSWORD);

        // The operator role writes configuration, nothing else.
        AgentTool.Result refused = operator.run("put", service, "/global/discount", "1");
        assertThat(refused.exitStatus).as(refused.toString()).isEqualTo(3);
        assertThat(refused.stderr).contains("permission denied").doesNotContain(PASSWORD);
        Map<String, String> records = secured.etcdctl().with("--user", "root:rootpw").getPrefix(STATUS + service + "/");
        assertThat(records).containsOnlyKeys(STATUS + service + "/" + address);
    }
}
