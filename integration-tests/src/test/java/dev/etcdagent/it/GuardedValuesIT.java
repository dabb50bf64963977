package dev.etcdagent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.apps.GuardedApp;
import dev.etcdagent.it.launch.AgentJvm;
import dev.etcdagent.it.launch.AgentTool;
import dev.etcdagent.it.launch.EtcdServer;
import dev.etcdagent.it.launch.Etcdctl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 13: what etcd may not steer (JDK-owned names), where values never show, a snapshot per cluster. */
class GuardedValuesIT extends AgentTestSupport {

    private static final String STATUS = "/etcd-agent/status";

    @TempDir
    Path home;

    /** The one status record of a service's only JVM, once it satisfies {@code ready}. */
    private static String awaitRecord(String service, Predicate<JsonNode> ready) {
        return await("the status record of " + service).atMost(WAIT).until(() -> {
            Map<String, String> records = etcdctl.getPrefix(STATUS + service + "/");
            return records.size() == 1 ? records.values().iterator().next() : null;
        }, text -> text != null && ready.test(json(text)));
    }

    @Test
    void proxyAndOtherJdkOwnedNamesFromEtcdAreNeverServedAndTheRefusalShowsNoValue() {
        String service = newService();
        String config = "/config" + service;
        String value = "etcd-proxy-7f3a.example";
        etcdctl.put(config + "/http.proxyHost", value);
        etcdctl.put(config + "/socksProxyHost", value);
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service))
                .jvmArg("-Dhttps.proxyHost=operator-proxy.invalid").main(GuardedApp.class));
        jvm.stdout().await("READY", WAIT);

        etcdctl.put(config + "/https.proxyHost", value);
        etcdctl.put(config + "/networkaddress.cache.ttl", "999999");
        etcdctl.put(config + "/com.sun.jndi.ldap.object.trustURLCodebase", "true");
        etcdctl.put(config + "/feature.x", "on");
        jvm.stdout().await("VALUE prop.feature=on", WAIT);
        String record = awaitRecord(service, node -> node.path("rejected").size() == 5);

        assertThat(jvm.stdout().lines()).contains("INITIAL prop.http.proxyHost=null", "INITIAL map.http.proxyHost=null",
                "INITIAL prop.socksProxyHost=null", "INITIAL proxy=[DIRECT]",
                "INITIAL prop.https.proxyHost=operator-proxy.invalid")
                .noneMatch(line -> line.startsWith("VALUE prop.") && !line.equals("VALUE prop.feature=on"))
                .noneMatch(line -> line.startsWith("VALUE proxy") || line.startsWith("VALUE map."));
        JsonNode rejected = json(record).path("rejected");
        for (String name : List.of("http.proxyHost", "socksProxyHost", "https.proxyHost", "networkaddress.cache.ttl",
                "com.sun.jndi.ldap.object.trustURLCodebase")) {
            JsonNode rejection = rejected.path(config + "/" + name);
            assertThat(rejection.path("field").asText()).isEqualTo("System.getProperty(\"" + name + "\")");
            assertThat(rejection.path("reason").asText()).isEqualTo("a JDK-owned name, never overridden from etcd");
        }
        jvm.stderr().await(config + "/http.proxyHost: not applied: http.proxyHost is a JDK-owned system property,"
                + " .*pass -Dhttp.proxyHost=\\.\\.\\. on its command line", WAIT);
        assertThat(record).doesNotContain(value).doesNotContain("999999");
        assertThat(jvm.stderr().text()).doesNotContain(value).doesNotContain("999999");
    }

    @Test
    void badValuesNeverAppearInTheStatusRecordTheToolOrStderr() {
        String service = newService();
        String config = "/config" + service;
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(GuardedApp.class));
        jvm.stdout().await("READY", WAIT);
        AgentTool tool = AgentTool.forEndpoints(etcd.endpoint());
        awaitRecord(service, node -> node.path("ranges").size() > 0);

        AgentTool.Result put = tool.run("put", service, "endpoint", "https://alice:S3cretPw1@db.example.com/a b\n");
        assertThat(put.exitStatus).as(put.toString()).isEqualTo(1);
        assertThat(put.stdout).contains("rejected: URI(String) threw URISyntaxException (");
        etcdctl.put(config + "/backup", "ldap://carol:S3cretPw2@ldap.example.com/x\ty");
        etcdctl.put(config + "/limit", "S3cretPw3-" + "7".repeat(200));
        etcdctl.put(config + "/timeout", "\tS3cretPw4\n");
        String record = awaitRecord(service, node -> node.path("rejected").size() == 4);

        assertThat(json(record).path("rejected").path(config + "/endpoint").path("reason").asText())
                .isEqualTo("URI(String) threw URISyntaxException");
        jvm.stderr().await(config + "/limit: value \\(210 chars\\) not applied to .*GuardedApp.limit \\(int\\):"
                + " not a whole number; the field keeps its current value", WAIT);
        jvm.stderr().await(config + "/timeout: value \\(11 chars\\) not applied", WAIT);
        AgentTool.Result status = tool.run("status", service, "--json");
        assertThat(status.stdout).contains("URI(String) threw URISyntaxException");
        for (String text : List.of(record, put.stdout, put.stderr, status.stdout, status.stderr)) {
            assertThat(text).doesNotContain("S3cretPw").doesNotContain("alice").doesNotContain("carol")
                    .doesNotContain("7777777");
        }
        // The property bridge takes these names as they are: its applied-change lines are the only ones with values.
        assertThat(jvm.stderr().lines()).filteredOn(line -> line.contains("S3cretPw")).hasSize(4)
                .allMatch(line -> line.matches(".* INFO " + config + "/\\w+: null -> .* \\(revision \\d+\\)"
                        + " -> System\\.getProperty\\(\"\\w+\"\\)"));
        assertThat(jvm.stdout().lines()).contains("INITIAL endpoint=https://db.example.com/")
                .noneMatch(line -> line.startsWith("VALUE "));
    }

    @Test
    void twoClustersAndOneServiceOnOneHostEachRestartWithItsOwnClustersSnapshot() throws Exception {
        String service = newService();
        EtcdServer production = track(EtcdServer.start());
        EtcdServer staging = track(EtcdServer.start());
        Etcdctl.forServer(production).put("/config" + service + "/price", "1.25");
        Etcdctl.forServer(staging).put("/config" + service + "/price", "2.75");
        // A snapshot of the previous version's name, of no telling which cluster: never read.
        Path snapshots = Files.createDirectories(home.resolve(".etcd-agent").resolve("snapshots"));
        Files.writeString(snapshots.resolve(service.substring(1).replace('/', '_') + ".json"), "{\"format\":1,"
                + "\"service\":\"" + service + "\",\"revision\":1,\"values\":{\"/config" + service + "/price\":\"666\"}}");

        AgentJvm first = start(jvmOf(service, production));
        AgentJvm second = start(jvmOf(service, staging));
        first.stdout().await("(INITIAL|VALUE) price=1.25", WAIT);
        second.stdout().await("(INITIAL|VALUE) price=2.75", WAIT);
        await("a snapshot of each cluster").atMost(WAIT).until(() -> snapshotTexts(snapshots),
                texts -> texts.stream().anyMatch(text -> text.contains("\"1.25\""))
                        && texts.stream().anyMatch(text -> text.contains("\"2.75\"")));
        first.close();
        second.close();
        production.stop();
        staging.stop();

        AgentJvm fromProduction = start(jvmOf(service, production));
        AgentJvm fromStaging = start(jvmOf(service, staging));
        fromProduction.stdout().await("READY", WAIT);
        fromStaging.stdout().await("READY", WAIT);
        assertThat(fromProduction.stdout().lines()).contains("INITIAL price=1.25");
        assertThat(fromStaging.stdout().lines()).contains("INITIAL price=2.75");
        fromProduction.stderr().await("cannot be read at start: using 1 values from snapshot .*" + service.substring(1)
                .replace('/', '_') + "@[0-9a-f]{16}\\.json", WAIT);
    }

    @Test
    void aSnapshotThatCannotBeWrittenIsOneWarningAndItsRecoveryOneLine() throws Exception {
        String service = newService();
        String key = "/config" + service + "/price";
        Path blocking = Files.writeString(home.resolve("not-a-directory"), "a file where the directory should be");
        Path snapshot = blocking.resolve("snapshot.json");
        AgentJvm jvm = start(AgentJvm.withAgent("service=" + service + ",endpoints=" + etcd.endpoint()
                + ",ttl=2,snapshot=" + snapshot).main(ConfigApp.class));
        jvm.stdout().await("READY", WAIT);

        etcdctl.put(key, "1.5");
        jvm.stderr().await("WARN cannot write snapshot " + snapshot + " .*Said once until a write works again", WAIT);
        etcdctl.put(key, "2.5");
        jvm.stdout().await("VALUE price=2.5", WAIT);
        etcdctl.put(key, "3.5");
        jvm.stdout().await("VALUE price=3.5", WAIT);

        Files.delete(blocking);
        etcdctl.put(key, "4.5");
        jvm.stderr().await("INFO snapshot " + snapshot + " written again", WAIT);
        await().atMost(WAIT).until(() -> Files.readString(snapshot).contains("\"4.5\""));
        assertThat(jvm.stderr().count(line -> line.contains("cannot write snapshot"))).isEqualTo(1);
    }

    private AgentJvm.Builder jvmOf(String service, EtcdServer etcd) {
        return AgentJvm.withAgent("service=" + service + ",endpoints=" + etcd.endpoint() + ",ttl=2")
                .jvmArg("-Duser.home=" + home).main(ConfigApp.class);
    }

    private static List<String> snapshotTexts(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().contains("@")).map(file -> {
                try {
                    return Files.readString(file);
                } catch (Exception e) {
                    return "";
                }
            }).collect(Collectors.toList());
        }
    }
}
