package dev.etcdagent.agent.fields;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.etcdagent.agent.convert.Converters;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.values.ValueOutcomes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DynamicFieldTest {

    private static final String KEY = "/config/service/a/endpoint";
    private static final String LIMIT = "/config/service/a/limit";

    static URI endpoint = URI.create("https://db.example.com/");
    static int limit = 5;

    private final List<String> rejections = new ArrayList<>();
    private final ValueOutcomes outcomes = new ValueOutcomes() {
        @Override
        public void applied(String key, long revision, String field) {
        }

        @Override
        public void rejected(String key, long revision, String field, String reason) {
            rejections.add(field + ": " + reason);
        }
    };

    private DynamicField binding(String name, String key) throws Exception {
        StaticField field = StaticField.open(DynamicFieldTest.class.getDeclaredField(name), null);
        return new DynamicField(field, key, Converters.forType(field.genericType()), outcomes, Runnable::run);
    }

    @Test
    void aUriWithCredentialsThatDoesNotParseIsNamedByItsLengthOnly() throws Exception {
        String value = "https://alice:s3cret-pw@db.example.com/a b\n";
        binding("endpoint", KEY).write(new Change(KEY, value, 9, false), 9);

        assertThat(endpoint).isEqualTo(URI.create("https://db.example.com/"));
        assertThat(rejections).containsExactly(DynamicFieldTest.class.getName()
                + ".endpoint: URI(String) threw URISyntaxException");
        assertThat(AgentLog.lastProblem()).contains(KEY + ": value (43 chars) not applied to "
                + DynamicFieldTest.class.getName() + ".endpoint (URI): URI(String) threw URISyntaxException;"
                + " the field keeps its current value")
                .doesNotContain("alice").doesNotContain("s3cret").doesNotContain("db.example.com");
    }

    @Test
    void noCopyOfABadValueReachesTheWarningOrTheRejection() throws Exception {
        DynamicField binding = binding("limit", LIMIT);
        List<String> values = List.of("secret-42\n", "\tsecret-42", "secret-" + "9".repeat(200), " secret ");
        long revision = 10;
        for (String value : values) {
            binding.write(new Change(LIMIT, value, revision, false), revision++);
            // Past the line's timestamp, whose digits may well hold "999".
            String line = AgentLog.lastProblem().substring(AgentLog.lastProblem().indexOf(' '));
            assertThat(line).as(value).contains("(" + value.length() + " chars)")
                    .doesNotContain("secret").doesNotContain("999");
        }
        assertThat(rejections).hasSize(values.size()).allSatisfy(line -> assertThat(line).doesNotContain("secret"));
        assertThat(limit).isEqualTo(5);
    }

    @Test
    void aValueThatIsNotUtf8KeepsTheFieldAndShowsNoValue() throws Exception {
        binding("limit", LIMIT).write(new Change(LIMIT, "secret\ufffd", 20, true), 20);

        assertThat(AgentLog.lastProblem()).contains("value is not valid UTF-8").doesNotContain("secret")
                .doesNotContain("keeps 5");
        assertThat(rejections).containsExactly(DynamicFieldTest.class.getName() + ".limit: not valid UTF-8");
    }
}
