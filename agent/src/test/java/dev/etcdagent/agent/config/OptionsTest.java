package dev.etcdagent.agent.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.etcdagent.agent.log.AgentLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class OptionsTest {

    private static final List<URI> LOCAL = List.of(URI.create("http://127.0.0.1:2379"));

    @Test
    void theReadmeTableOfArgumentsIsTheDeclarationsRowForRow() throws Exception {
        List<String> expected = new ArrayList<>();
        for (Option<?> option : Options.ALL) {
            expected.add(option.readmeRow());
        }

        assertThat(readmeArgumentsTable())
                .as("the README's \"Arguments\" table; the declarations in Options give:%n%s",
                        String.join("\n", expected))
                .containsExactlyElementsOf(expected);
        assertThat(AgentArguments.KEYS).doesNotHaveDuplicates();
    }

    @Test
    void everyLiteralDefaultParsesToTheDefault() {
        Map<Option<?>, Object> earlier = new HashMap<>();
        earlier.put(Options.SERVICE, "/service/a");
        earlier.put(Options.ENDPOINTS, LOCAL);
        int literals = 0;
        for (Option<?> option : Options.ALL) {
            // A default shown as one literal (`10`) is a text the option must accept.
            Matcher literal = Pattern.compile("\\| `[^`]+` \\| `([^`]+)` \\|.*").matcher(option.readmeRow());
            if (literal.matches()) {
                literals++;
                assertThat(option.parse(literal.group(1), earlier)).as(option.key())
                        .isEqualTo(option.defaultValue(earlier));
            }
        }
        assertThat(literals).isEqualTo(5);
    }

    @Test
    void absentOptionsTakeTheirDocumentedDefaults() {
        Map<String, Object> withService = new LinkedHashMap<>();
        withService.put("service", null);
        withService.put("endpoints", LOCAL);
        withService.put("address", null);
        withService.put("host", null);
        withService.put("port", 0);
        withService.put("ttl", 10);
        withService.put("instance", null);
        withService.put("labels", null);
        withService.put("config", "/config/service/a");
        withService.put("snapshot", AgentArguments.defaultSnapshot("/service/a", LOCAL));
        withService.put("status", "/etcd-agent/status");
        withService.put("user", null);
        withService.put("password", null);
        withService.put("password-file", null);
        withService.put("cacert", null);
        withService.put("cert", null);
        withService.put("key", null);
        withService.put("log", AgentLog.Level.INFO);
        assertThat(withService.keySet()).containsExactlyElementsOf(AgentArguments.KEYS);

        Map<Option<?>, Object> earlier = new HashMap<>();
        earlier.put(Options.SERVICE, "/service/a");
        earlier.put(Options.ENDPOINTS, LOCAL);
        Map<Option<?>, Object> noService = new HashMap<>();
        noService.put(Options.ENDPOINTS, LOCAL);
        for (Option<?> option : Options.ALL) {
            assertThat(option.defaultValue(earlier)).as(option.key()).isEqualTo(withService.get(option.key()));
        }
        assertThat(Options.CONFIG.defaultValue(noService)).isNull();
        assertThat(Options.SNAPSHOT.defaultValue(noService)).isNull();
    }

    @Test
    void everyOptionRejectsBadTextInOneLineNamingItAndTheFix(@TempDir Path dir) {
        String missing = dir.resolve("missing.pem").toString();
        String unreadable = "file " + missing + " does not exist or is not readable";
        // key, bad text, what the line says is wrong and how to write it, the value used instead (a secret:
        // none, and its text is never quoted)
        String[][] badTexts = {
            {"service", "/", "must name a service, e.g. service=/service/a", "none"},
            {"endpoints", ";", "must list at least one URL, e.g. http://127.0.0.1:2379", "http://127.0.0.1:2379"},
            {"address", "10.0.0.5", "must be host:port, e.g. 10.0.0.5:8080", "none"},
            {"host", "a b", "must be a host name or IP address", "none"},
            {"port", "http", "must be a TCP port, a whole number from 1 to 65535", "0"},
            {"ttl", "86401", "must be a lease TTL in seconds from 1 to 86400", "10"},
            {"instance", "a/b", "must not contain '/': it is the last segment of the key", "none"},
            {"labels", "zone=eu", "must list name:value pairs of letters, digits, '.', '_' and '-', e.g."
                + " labels=zone:eu,tier:gold", "none"},
            {"config", "cfg", "must start with '/', e.g. /service/a", "none"},
            {"snapshot", "on", "needs service=..., or a file path", "none"},
            {"status", "/", "must name a prefix, e.g. /etcd-agent/status, or be off", "/etcd-agent/status"},
            {"user", " ", "must not be empty", "none"},
            {"password", "", "is empty; connecting without a password", null},
            {"password-file", "", "must not be empty", "none"},
            {"cacert", missing, unreadable, "none"},
            {"cert", missing, unreadable, "none"},
            {"key", missing, unreadable, "none"},
            {"log", "verbose", "must be one of off, error, warn, info, debug", "info"},
        };

        List<String> keys = new ArrayList<>();
        for (String[] bad : badTexts) {
            keys.add(bad[0]);
            String expected = bad[3] == null ? "argument " + bad[0] + " " + bad[2]
                    : "argument " + bad[0] + "='" + bad[1] + "' " + bad[2] + "; using " + bad[3];
            assertThat(AgentArguments.parse(bad[0] + "=" + bad[1], Map.of(), Map.of()).problems()).as(bad[0])
                    .first().isEqualTo(expected);
        }
        assertThat(keys).containsExactlyElementsOf(AgentArguments.KEYS);
    }

    @Test
    void aBadTextIsNamedByWhereItCameFrom() {
        assertThat(AgentArguments.parse(null, Map.of("etcd.agent.ttl", "0"), Map.of()).problems()).containsExactly(
                "system property etcd.agent.ttl='0' must be a lease TTL in seconds from 1 to 86400; using 10");
        assertThat(AgentArguments.parse(null, Map.of(), Map.of("ETCD_AGENT_PASSWORD_FILE", "")).problems())
                .containsExactly("environment variable ETCD_AGENT_PASSWORD_FILE='' must not be empty; using none");
        assertThat(AgentArguments.parse(null, Map.of(), Map.of("ETCD_AGENT_PASSWORD", "")).problems())
                .containsExactly("environment variable ETCD_AGENT_PASSWORD is empty; connecting without a password");
    }

    @Test
    void theLogLineShowsEachArgumentThatHasAValueAndASecretOnlyAsSet(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
        AgentArguments arguments = AgentArguments.parse("service=/service/a,endpoints=https://a:2379,https://b:2379,"
                + "port=8080,snapshot=off,status=off,user=app,password=p,w,cacert=" + ca + ",log=debug",
                Map.of(), Map.of());

        assertThat(arguments.toString()).isEqualTo("service=/service/a, endpoints=https://a:2379;https://b:2379,"
                + " port=8080, ttl=10, config=/config/service/a, user=app, password=(set), cacert=" + ca
                + ", log=debug");
    }

    @Test
    void everyOptionIsReadFromItsSystemPropertyAndItsEnvironmentVariable() {
        assertThat(Options.PASSWORD_FILE.systemProperty()).isEqualTo("etcd.agent.password-file");
        assertThat(Options.PASSWORD_FILE.environmentVariable()).isEqualTo("ETCD_AGENT_PASSWORD_FILE");
        for (Option<?> option : Options.ALL) {
            // Every option refuses an empty text, so a problem line shows that the source was read.
            assertThat(AgentArguments.parse(null, Map.of(option.systemProperty(), ""), Map.of()).problems())
                    .as(option.key()).first().asString().startsWith("system property " + option.systemProperty());
            assertThat(AgentArguments.parse(null, Map.of(), Map.of(option.environmentVariable(), "")).problems())
                    .as(option.key()).first().asString()
                    .startsWith("environment variable " + option.environmentVariable());
        }
    }

    /** The rows of the table under "## Arguments", without its header. */
    private static List<String> readmeArgumentsTable() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int section = lines.indexOf("## Arguments");
        assertThat(section).as("the README's \"## Arguments\" heading").isNotNegative();
        int header = section;
        while (!lines.get(header).startsWith("| key |")) {
            header++;
        }
        List<String> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(lines.get(i));
        }
        return rows;
    }
}
