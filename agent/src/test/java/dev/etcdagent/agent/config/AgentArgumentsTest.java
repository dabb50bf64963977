package dev.etcdagent.agent.config;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.log.AgentLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class AgentArgumentsTest {

    private static AgentArguments parse(String args) {
        return AgentArguments.parse(args, Map.of(), Map.of());
    }

    @Test
    void defaultsFollowTheContract() {
        AgentArguments arguments = parse("service=/service/a");
        assertThat(arguments.service()).isEqualTo("/service/a");
        assertThat(arguments.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"));
        assertThat(arguments.ttl().toSeconds()).isEqualTo(10);
        assertThat(arguments.configPrefix()).isEqualTo("/config/service/a");
        assertThat(arguments.snapshotFile().toString()).matches(".*/\\.etcd-agent/snapshots/service_a@[0-9a-f]{16}\\.json");
        assertThat(arguments.logLevel()).isEqualTo(AgentLog.Level.INFO);
        assertThat(arguments.statusPrefix()).isEqualTo("/etcd-agent/status");
        assertThat(arguments.problems()).isEmpty();
    }

    @Test
    void statusRecordsMoveToAnotherPrefixOrAreSwitchedOff() {
        assertThat(parse("service=/service/a,status=/ops/status/").statusPrefix()).isEqualTo("/ops/status");
        assertThat(parse("service=/service/a,status=OFF").statusPrefix()).isNull();
        assertThat(AgentArguments.parse(null, Map.of(), Map.of("ETCD_AGENT_STATUS", "off")).statusPrefix()).isNull();
        AgentArguments root = parse("status=/");
        assertThat(root.problems()).containsExactly("argument status='/' must name a prefix, e.g."
                + " /etcd-agent/status, or be off; using /etcd-agent/status");
        assertThat(root.statusPrefix()).isEqualTo("/etcd-agent/status");
        assertThat(parse("status=ops").problems()).singleElement().asString()
                .isEqualTo("argument status='ops' must start with '/', e.g. /service/a; using /etcd-agent/status");
    }

    @Test
    void agentArgumentBeatsSystemPropertyBeatsEnvironment() {
        AgentArguments arguments = AgentArguments.parse("ttl=3",
                Map.of("etcd.agent.ttl", "4", "etcd.agent.host", "h1"),
                Map.of("ETCD_AGENT_TTL", "5", "ETCD_AGENT_HOST", "h2", "ETCD_AGENT_INSTANCE", "i3"));
        assertThat(arguments.ttl().toSeconds()).isEqualTo(3);
        assertThat(arguments.host()).isEqualTo("h1");
        assertThat(arguments.instance()).isEqualTo("i3");
    }

    @Test
    void labelsAreAListOfNameValuePairsSortedByName() {
        AgentArguments arguments = parse("service=/service/shop,labels=zone:eu,tier:gold,ttl=5");

        assertThat(arguments.labels()).containsExactly(Map.entry("tier", "gold"), Map.entry("zone", "eu"));
        assertThat(arguments.ttl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(arguments.toString()).contains("labels=tier:gold;zone:eu");
        assertThat(parse("service=/service/shop").labels()).isEmpty();
        assertThat(parse("labels=zone:eu,zone:us").problems()).singleElement().asString()
                .contains("names the label 'zone' twice");
        assertThat(parse("labels=zone:e u").problems()).singleElement().asString()
                .startsWith("argument labels='zone:e u' must list name:value pairs");
    }

    @Test
    void endpointListsContinueOnTokensWithoutEqualsAsInCatalinaOpts() {
        // CATALINA_OPTS goes through eval in catalina.sh, where ';' would end the command.
        AgentArguments arguments = parse("service=/service/shop,endpoints=http://a:2379,http://b:2379,"
                + "https://c:2379,ttl=5");

        assertThat(arguments.endpoints()).containsExactly(URI.create("http://a:2379"), URI.create("http://b:2379"),
                URI.create("https://c:2379"));
        assertThat(arguments.ttl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(arguments.problems()).isEmpty();
        assertThat(parse("endpoints=http://a:2379;http://b:2379,http://c:2379").endpoints()).hasSize(3);
    }

    @Test
    void aTokenWithoutEqualsAfterAKeyThatIsNoListIsExplained() {
        AgentArguments arguments = parse("service=/service/shop,http://b:2379");

        assertThat(arguments.problems()).singleElement().asString().contains("http://b:2379");
        assertThat(arguments.service()).isEqualTo("/service/shop");
    }

    @Test
    void endpointListsUseSemicolonsInArgumentsAndAlsoCommasElsewhere() {
        assertThat(parse("endpoints=http://a:1;https://b:2").endpoints())
                .containsExactly(URI.create("http://a:1"), URI.create("https://b:2"));
        assertThat(AgentArguments.parse(null, Map.of("etcd.agent.endpoints", "http://a:1,http://b:2"), Map.of())
                .endpoints()).hasSize(2);
        assertThat(parse("endpoints=https://b:2").usesTls()).isTrue();
    }

    @Test
    void badValuesAreExplainedOneLineEachAndDefaultsStand() {
        AgentArguments arguments = parse("service=a,ttl=0,port=70000,endpoints=127.0.0.1:2379,log=loud,colour=red,address=x");
        assertThat(arguments.problems()).containsExactly(
                "unknown argument 'colour' ignored; accepted: " + String.join(", ", AgentArguments.KEYS),
                "argument service='a' must start with '/', e.g. /service/a; using none",
                "argument endpoints='127.0.0.1:2379' must be URLs with scheme, host and port,"
                        + " e.g. http://127.0.0.1:2379,https://10.0.0.2:2379; using http://127.0.0.1:2379",
                "argument address='x' must be host:port, e.g. 10.0.0.5:8080; using none",
                "argument port='70000' must be a TCP port from 1 to 65535; using 0",
                "argument ttl='0' must be a lease TTL in seconds from 1 to 86400; using 10",
                "argument log='loud' must be one of off, error, warn, info, debug; using info");
        assertThat(arguments.ttl().toSeconds()).isEqualTo(10);
        assertThat(arguments.service()).isNull();
    }

    @Test
    void hugeAndNegativeNumbersAreRefused() {
        assertThat(parse("ttl=-1").problems()).singleElement().asString().contains("from 1 to 86400");
        assertThat(parse("ttl=99999999999999").problems()).singleElement().asString().contains("from 1 to 86400");
    }

    @Test
    void unknownSystemPropertiesAreReported() {
        assertThat(AgentArguments.parse(null, Map.of("etcd.agent.servce", "/x"), Map.of()).problems())
                .singleElement().asString().startsWith("unknown system property 'etcd.agent.servce' ignored");
    }

    @Test
    void passwordComesFromTheEnvironmentOrAFileAndNeverShows(@TempDir Path dir) throws Exception {
        AgentArguments fromEnv = AgentArguments.parse("user=app", Map.of(), Map.of("ETCD_AGENT_PASSWORD", "s3cret"));
        assertThat(fromEnv.password()).isEqualTo("s3cret");
        assertThat(fromEnv.toString()).contains("password=(set)").doesNotContain("s3cret");

        Path file = dir.resolve("pw");
        Files.writeString(file, "fromfile\n");
        assertThat(parse("user=app,password-file=" + file).password()).isEqualTo("fromfile");

        AgentArguments missing = parse("user=app,password-file=" + dir.resolve("nope"));
        assertThat(missing.password()).isNull();
        assertThat(missing.problems()).anyMatch(line -> line.contains("cannot be read"));
    }

    @Test
    void aCommaInThePasswordIsPartOfIt() {
        AgentArguments arguments = parse("service=/s,user=app,password=se,cret");
        assertThat(arguments.password()).isEqualTo("se,cret");
        assertThat(arguments.problems()).isEmpty();
        assertThat(arguments.toString()).contains("password=(set)").doesNotContain("se,").doesNotContain("cret");
    }

    @Test
    void thePasswordRunsUntilTheNextAcceptedArgument() {
        AgentArguments arguments = parse("user=app,password=a,,b=c,d,ttl=5,service=/s");
        assertThat(arguments.password()).isEqualTo("a,,b=c,d");
        assertThat(arguments.ttl().toSeconds()).isEqualTo(5);
        assertThat(arguments.service()).isEqualTo("/s");
        assertThat(arguments.problems()).isEmpty();
    }

    @Test
    void noFragmentOfThePasswordReachesAProblemLine() {
        AgentArguments arguments = parse("user=app,password=Pa55,w0rd-tail,tll=3,endpoints,x");
        assertThat(arguments.password()).isEqualTo("Pa55,w0rd-tail,tll=3,endpoints,x");
        assertThat(arguments.problems()).isEmpty();
        AgentArguments empty = parse("user=app,password=,service=/s");
        assertThat(empty.problems()).containsExactly("argument password is empty; connecting without a password",
                "argument user=app has no password: set ETCD_AGENT_PASSWORD or password-file=<file>; connecting"
                        + " without authentication");
    }

    @Test
    void eachServiceOnEachClusterHasItsOwnSnapshotFile() {
        List<URI> production = List.of(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379"));
        List<URI> staging = List.of(URI.create("http://10.9.0.1:2379"));
        Path file = AgentArguments.defaultSnapshot("/home/app", "/service/a", production);

        assertThat(file.toString()).matches("/home/app/\\.etcd-agent/snapshots/service_a@[0-9a-f]{16}\\.json");
        assertThat(AgentArguments.defaultSnapshot("/home/app", "/service/a", staging)).isNotEqualTo(file);
        assertThat(AgentArguments.defaultSnapshot("/home/app", "/service_a", production)).isNotEqualTo(file);
        assertThat(AgentArguments.defaultSnapshot("/home/app", "/service/a", List.of(URI.create("http://10.0.0.2:2379"),
                URI.create("HTTP://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379")))).isEqualTo(file);
    }

    @Test
    void theSnapshotArgumentOnIsTheDefaultFileAndAPathIsTakenAsIs() {
        AgentArguments defaults = parse("service=/service/a,endpoints=http://10.0.0.2:2379,http://10.0.0.1:2379");
        assertThat(defaults.cluster()).isEqualTo("http://10.0.0.1:2379,http://10.0.0.2:2379");
        assertThat(parse("snapshot=on,service=/service/a,endpoints=http://10.0.0.1:2379,http://10.0.0.2:2379")
                .snapshotFile()).isEqualTo(defaults.snapshotFile());
        assertThat(parse("service=/service/a,endpoints=http://10.0.0.1:2379,snapshot=/tmp/x.json").snapshotFile())
                .isEqualTo(Path.of("/tmp/x.json"));
    }

    @Test
    void missingCertificateFilesAreNamed(@TempDir Path dir) {
        AgentArguments arguments = parse("endpoints=https://h:1,cacert=" + dir.resolve("ca.pem"));
        assertThat(arguments.cacert()).isNull();
        assertThat(arguments.problems()).singleElement().asString()
                .contains("ca.pem does not exist or is not readable");
    }

    @Test
    void snapshotCanBeSwitchedOffOrPointedAtAFile() {
        assertThat(parse("service=/s,snapshot=off").snapshotFile()).isNull();
        assertThat(parse("service=/s,snapshot=/tmp/x.json").snapshotFile().toString()).isEqualTo("/tmp/x.json");
    }

    @Test
    void keyPrefixesLoseTrailingSlashes() {
        assertThat(parse("service=/service/a/,config=/cfg/a//").configPrefix()).isEqualTo("/cfg/a");
        assertThat(parse("service=/service/a/").service()).isEqualTo("/service/a");
    }

    @Test
    void theToolsProblemsNameItsOptionsAndNoFallback(@TempDir Path dir) throws Exception {
        assertThat(AgentArguments.forTool(Map.of("service", "/s", "ttl", "0"), Map.of()).problems())
                .containsExactly("--ttl='0' must be a lease TTL in seconds from 1 to 86400");
        assertThat(AgentArguments.forTool(Map.of("service", "/s", "user", "alice"), Map.of()).problems())
                .containsExactly("--user alice has no password: set ETCD_AGENT_PASSWORD or give --password-file FILE");
        Path ca = Files.writeString(dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----");
        assertThat(AgentArguments.forTool(Map.of("service", "/s", "cert", ca.toString()), Map.of()).problems())
                .containsExactly("--cert and --key go together (a client certificate and its private key in PEM)");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThat(AgentArguments.forTool(Map.of("service", "/s", "user", "alice", "password-file", empty.toString()),
                Map.of()).problems()).first().isEqualTo("--password-file " + empty + " names an empty file");
        // The environment is read as the agent reads it, and named as such.
        assertThat(AgentArguments.forTool(Map.of("service", "/s"), Map.of("ETCD_AGENT_PASSWORD", "")).problems())
                .containsExactly("environment variable ETCD_AGENT_PASSWORD is empty");
        assertThat(AgentArguments.forTool(Map.of("service", "/s", "endpoints", "http://e:1"), Map.of()).endpoints())
                .containsExactly(URI.create("http://e:1"));
    }
}
