package dev.etcdagent.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.etcdagent.it.apps.ConfigApp;
import dev.etcdagent.it.apps.PlainServer;
import dev.etcdagent.it.launch.AgentJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 5: typos and hostile values get one clear line each, and the application keeps running. */
class BadInputIT extends AgentTestSupport {

    @Test
    void hostileValuesLeaveFieldsUnchangedWithAClearWarning() {
        String service = newService();
        String config = "/config" + service;
        AgentJvm jvm = start(AgentJvm.withAgent(agentArgs(service)).main(ConfigApp.class));
        jvm.stdout().await("READY", WAIT);

        etcdctl.putBytes(config + "/price", "1".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII));
        etcdctl.putBytes(config + "/level", "H\u00c9".getBytes(StandardCharsets.ISO_8859_1));
        etcdctl.put(config + "/discount", "");
        etcdctl.put(config + "/ratio", "   ");
        etcdctl.put(config + "/promo.enabled", "2");
        etcdctl.put(config + "/names", "a,,b");
        etcdctl.put(config + "/dev.etcdagent.it.apps.ConfigApp.timeout", "99999999999999999999d");
        etcdctl.put(config + "/ports", "80,99999999999");

        // A 1 MiB number is refused before parsing (its cost grows with the square of its length).
        jvm.stderr().await(config + "/price: .*a number of 1048576 characters; the limit is 4096", WAIT);
        jvm.stderr().await(config + "/level: value is not valid UTF-8, not applied to .*ConfigApp.level", WAIT);
        jvm.stderr().await(config + "/ratio: value \\(3 chars\\) not applied to .*ConfigApp.ratio \\(Double\\): empty value", WAIT);
        jvm.stderr().await(config + "/promo.enabled: value \\(1 char\\) not applied .*not a boolean", WAIT);
        jvm.stderr().await(config + "/names: value \\(4 chars\\) not applied .*element 2 of the list is empty", WAIT);
        jvm.stderr().await("ConfigApp.timeout: value \\(21 chars\\) not applied .*duration out of range", WAIT);
        jvm.stderr().await(config + "/ports: value \\(14 chars\\) not applied .*element 2: out of range for int", WAIT);
        assertThat(jvm.stdout().lines()).noneMatch(line -> line.startsWith("VALUE level=")
                || line.startsWith("VALUE ratio=") || line.startsWith("VALUE enabled=")
                || line.startsWith("VALUE names=") || line.startsWith("VALUE timeout=")
                || line.startsWith("VALUE ports=") || line.startsWith("VALUE price="));
        // No log line carries the whole megabyte.
        assertThat(jvm.stderr().lines()).allSatisfy(line -> assertThat(line.length()).isLessThan(2_000));

        etcdctl.put(config + "/level", "MEDIUM");
        jvm.stdout().await("VALUE level=MEDIUM", WAIT);
        assertThat(jvm.isAlive()).isTrue();
    }

    @Test
    void everyBadArgumentGetsOneLineNamingTheFix() throws Exception {
        Path missing = Files.createTempDirectory("certs").resolve("missing-ca.pem");
        AgentJvm jvm = start(AgentJvm.withAgent("service=/service/args,ttl=-5,port=99999,endpoints=http://127.0.0.1:1;"
                + "notaurl,cacert=" + missing + ",tll=3,snapshot=").main(PlainServer.class));

        jvm.stdout().await("LISTENING", WAIT);
        jvm.stderr().await("argument ttl='-5' must be a lease TTL in seconds from 1 to 86400; using 10", WAIT);
        jvm.stderr().await("argument port='99999' must be a TCP port from 1 to 65535; using 0", WAIT);
        jvm.stderr().await("argument endpoints=.* must be URLs with scheme, host and port", WAIT);
        jvm.stderr().await("argument cacert=.*missing-ca.pem does not exist or is not readable", WAIT);
        jvm.stderr().await("unknown argument 'tll' ignored; accepted: service, endpoints", WAIT);
        jvm.stderr().await("argument snapshot='' must not be empty", WAIT);
    }

    @Test
    void unreachableEndpointsAreReportedOnceAndTheApplicationRuns() {
        AgentJvm jvm = start(AgentJvm.withAgent("service=/service/nowhere,endpoints=http://127.0.0.1:9;"
                + "http://127.0.0.1:11,ttl=2,snapshot=off").main(PlainServer.class));

        jvm.stdout().await("LISTENING", WAIT);
        jvm.stderr().await("etcd http://127.0.0.1:9;http://127.0.0.1:11 does not answer: .*; retrying in the"
                + " background, the application runs on", WAIT);
        assertThat(jvm.stderr().count(line -> line.contains("does not answer"))).isEqualTo(1);
    }

    @Test
    void corruptTruncatedForeignOrUnreadableSnapshotsAreIgnored() throws Exception {
        Path dir = Files.createTempDirectory("snapshots");
        Path truncated = dir.resolve("truncated.json");
        Files.writeString(truncated, "{\"format\":1,\"service\":\"/service/snap\",\"values\":{\"/config/service/snap/price\":\"1");
        Path empty = Files.createFile(dir.resolve("empty.json"));
        Path foreign = dir.resolve("foreign.json");
        Files.writeString(foreign, "{\"format\":1,\"service\":\"/service/other\",\"revision\":3,"
                + "\"values\":{\"/config/service/snap/price\":\"666\"}}");
        Path unreadable = dir.resolve("unreadable.json");
        Files.writeString(unreadable, "{}");
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        boolean root = Files.isReadable(unreadable);

        for (Path snapshot : new Path[] {truncated, empty, foreign, unreadable}) {
            AgentJvm jvm = start(AgentJvm.withAgent("service=/service/snap,endpoints=http://127.0.0.1:9,ttl=2,snapshot="
                    + snapshot).main(ConfigApp.class));
            jvm.stdout().await("READY", WAIT);
            assertThat(jvm.stdout().lines()).contains("INITIAL price=9.99");
            if (snapshot == foreign) {
                jvm.stderr().await("snapshot .*foreign.json ignored: it belongs to service /service/other, not"
                        + " /service/snap", WAIT);
            } else if (snapshot != unreadable || !root) {
                jvm.stderr().await("snapshot .*" + snapshot.getFileName() + " ignored: it is unreadable or corrupt", WAIT);
            }
            jvm.close();
        }
    }
}
