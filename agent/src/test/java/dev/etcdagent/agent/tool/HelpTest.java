package dev.etcdagent.agent.tool;

import dev.etcdagent.agent.config.Option;
import dev.etcdagent.agent.config.Options;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HelpTest {

    @Test
    void theConnectionOptionsAreTheDeclaredOnesWithTheirDefaults() {
        String help = Help.text(null);

        assertThat(help).contains(
                "  --endpoints URLS       etcd client URLs, comma-separated; https:// means TLS (default"
                        + " http://127.0.0.1:2379)\n",
                "  --config PREFIX        prefix of the service's configuration keys (default /config + service)\n",
                "  --password-file FILE   a file holding the password\n");
        for (Option<?> option : Options.forTool()) {
            for (String command : new String[] {null, "status", "put", "delete"}) {
                assertThat(Help.text(command)).contains("\n" + option.helpLine() + "\n");
            }
            assertThat(CommandLine.parse(new String[] {"status", "/s", "--" + option.key(), "v"}).options)
                    .containsEntry(option.key(), "v");
        }
    }
}
