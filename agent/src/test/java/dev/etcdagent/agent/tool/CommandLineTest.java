package dev.etcdagent.agent.tool;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void optionsGoAnywhereInEitherForm() {
        CommandLine line = CommandLine.parse(new String[] {
            "--endpoints", "http://e:2379", "put", "/service/a", "--wait=3s", "price", "12", "--user", "alice"});
        assertThat(line.command).isEqualTo("put");
        assertThat(line.operands).containsExactly("/service/a", "price", "12");
        assertThat(line.options).containsEntry("endpoints", "http://e:2379").containsEntry("user", "alice");
        assertThat(line.waitTime()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theWaitDefaultsToTenSecondsAndZeroMeansNoWait() {
        assertThat(CommandLine.parse(new String[] {"put", "/s", "k", "v"}).waitTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(CommandLine.parse(new String[] {"put", "/s", "k", "v", "--wait", "0"}).waitTime()).isZero();
        assertThat(CommandLine.parse(new String[] {"put", "/s", "k", "v", "--wait", "500ms"}).waitTime())
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aValueStartingWithDashesGoesAfterTheDoubleDash() {
        CommandLine line = CommandLine.parse(new String[] {"put", "/s", "k", "--", "--weird"});
        assertThat(line.operands).containsExactly("/s", "k", "--weird");
    }

    @Test
    void mistakesAreOneLineNamingTheFix() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"status", "/s", "--colour", "red"}))
                .hasMessage("unknown option --colour; see --help");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"status", "/s", "--endpoints"}))
                .hasMessage("option --endpoints needs a value: --endpoints <value>");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"put", "/s", "k", "v", "--wait", "-1s"}).waitTime())
                .hasMessage("--wait -1s is not a duration: write e.g. 10s, 500ms, 1m or 0");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"put", "/s"}).operand(1, "NAME"))
                .hasMessage("put: missing NAME; usage: java -jar etcd-agent.jar put SERVICE NAME VALUE [--instances ID,...|--where NAME=VALUE|--canary N%] [--for 24h] [--reason TEXT] [--wait 10s]");
    }

    @Test
    void aMistakeInAPutNeverRepeatsWhatMayBeTheValue() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"put", "/s", "k", "--s3cret"}))
                .hasMessage("put: argument 4 is an unknown option; a VALUE that starts with '--' goes after '--':"
                        + " java -jar etcd-agent.jar put SERVICE NAME -- VALUE [--instances ID,...|--where NAME=VALUE|--canary N%] [--for 24h] [--reason TEXT] [--wait 10s]");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"put", "/s", "k", "my", "s3cret"}).expectOperands(3))
                .hasMessage("put: 4 operands where 3 are expected (quote a VALUE with spaces); usage:"
                        + " java -jar etcd-agent.jar put SERVICE NAME VALUE [--instances ID,...|--where NAME=VALUE|--canary N%] [--for 24h] [--reason TEXT] [--wait 10s]");
    }

    @Test
    void theConnectionOptionsBecomeTheAgentsArguments() {
        EtcdAccess etcd = EtcdAccess.forService("/service/a", Map.of("endpoints", "http://e:1,http://f:2",
                "status", "/ops/status"), Map.of());
        assertThat(etcd.arguments.endpoints()).hasSize(2);
        assertThat(etcd.statusPrefix()).isEqualTo("/ops/status/service/a/");
        assertThat(etcd.configKey("price")).isEqualTo("/config/service/a/price");
        assertThat(etcd.configKey("/global/discount")).isEqualTo("/global/discount");
        assertThat(EtcdAccess.forService("/service/a", Map.of(), Map.of("ETCD_AGENT_CONFIG", "/cfg/a"))
                .configKey("price")).isEqualTo("/cfg/a/price");
        assertThatThrownBy(() -> EtcdAccess.forService("/service/a", Map.of("endpoints", "e:1"), Map.of()))
                .hasMessage("--endpoints='e:1' must be URLs with scheme, host and port, e.g."
                        + " http://127.0.0.1:2379,https://10.0.0.2:2379");
        assertThatThrownBy(() -> EtcdAccess.forService("/service/a", Map.of("user", "alice"), Map.of()))
                .hasMessage("--user alice has no password: set ETCD_AGENT_PASSWORD or give --password-file FILE");
    }
}
