package dev.etcdagent.it;

import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.it.demo.Demo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 4: the README's demo, end to end, with real etcd and real JVMs. */
class DemoIT {

    @Test
    void theDemoTellsTheWholeStory() throws Exception {
        List<String> lines = new ArrayList<>();
        Demo.tell(lines::add);

        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).startsWith("etcd      started at http://127.0.0.1:");
        assertThat(lines.get(2)).matches("b         registered itself: /service/b/127\\.0\\.0\\.1:\\d+ = \\{\"Addr\".*");
        assertThat(lines.get(4)).matches("a         GET .* -> b=127\\.0\\.0\\.1:\\d+ promo=false");
        assertThat(lines.get(6)).contains("promo=true");
        assertThat(lines.get(8)).contains("noticed b is gone").contains("b=(no b) promo=true");
        assertThat(lines.get(9)).startsWith("done");
    }
}
