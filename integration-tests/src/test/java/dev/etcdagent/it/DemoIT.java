package dev.etcdagent.it;

import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.it.demo.Demo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issues 4 and 10: the README's demo, end to end, with real etcd, real JVMs and the operator's tool. */
class DemoIT {

    @Test
    void theDemoTellsTheWholeStory() throws Exception {
        List<String> lines = new ArrayList<>();
        Demo.tell(lines::add);

        assertThat(lines.get(0)).startsWith("etcd      started at http://127.0.0.1:");
        assertThat(lines.get(2)).matches("b         registered itself: /service/b/127\\.0\\.0\\.1:(\\d+)"
                + " = \\{\"Op\":0,\"Addr\":\"127\\.0\\.0\\.1:\\d+\",\"Metadata\":null}");
        assertThat(lines.get(3)).startsWith("a         started twice, on ports ");
        assertThat(lines.subList(4, 6)).allMatch(line -> line.matches("a         GET .* -> b=127\\.0\\.0\\.1:\\d+ promo=false"));
        assertThat(lines.get(6)).isEqualTo("operator  java -jar etcd-agent.jar status /service/a");
        assertThat(lines.get(7)).startsWith("          INSTANCE ");
        assertThat(lines.get(10)).matches("          2 live instances of /service/a; etcd revision \\d+");
        assertThat(lines.get(11)).isEqualTo("operator  java -jar etcd-agent.jar put /service/a promo.enabled true");
        assertThat(lines.get(12)).matches("          put /config/service/a/promo.enabled \\(revision \\d+\\); waiting up to"
                + " 10 s for the 2 live instances of /service/a that follow it");
        assertThat(lines.subList(13, 15)).allMatch(line -> line.matches("            127\\.0\\.0\\.1:\\d+  applied \\(\\d+ ms\\)"));
        assertThat(lines.get(15)).matches("          applied by all 2 instances in \\d+ ms");
        assertThat(lines.subList(16, 18)).allMatch(line -> line.matches("a         GET .* -> b=.* promo=true \\(no restart\\)"));
        assertThat(lines.get(19)).contains("noticed b is gone").contains("b=(no b) promo=true");
        assertThat(lines.get(20)).startsWith("done");
        assertThat(lines).hasSize(21);
    }
}
