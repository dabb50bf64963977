package dev.etcdagent.agent.spring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.testing.ManualScheduler;
import dev.etcdagent.agent.values.TestRanges;
import dev.etcdagent.agent.values.ValueOutcomes;
import dev.etcdagent.agent.values.WatchedRange;
import dev.etcdagent.hooks.PropertyOverlay;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches a Spring context and when: the changes etcd made together, at once, on the apply loop; and
 * what its answers become in the status record. The context is a stand-in (LiveContextTest runs the real one).
 */
class SpringContextsTest {

    private static final String CONFIG = "/config/service/a";

    private final ManualScheduler apply = new ManualScheduler();
    private final List<String> outcomes = new ArrayList<>();
    private final PropertyOverlay overlay = new PropertyOverlay(new Properties());
    private final SpringContexts spring = new SpringContexts(CONFIG, null, apply, new ValueOutcomes() {
        @Override
        public void applied(String key, long revision, String field) {
            outcomes.add("applied " + key + "@" + revision + " " + field);
        }

        @Override
        public void rejected(String key, long revision, String field, String reason) {
            outcomes.add("rejected " + key + "@" + revision + " " + field + ": " + reason);
        }
    }, overlay);
    private final WatchedRange range = TestRanges.of(CONFIG + "/", true);
    private final StandInContext context = new StandInContext();

    SpringContextsTest() {
        // As the property bridge does, before the Spring contexts hear of a change.
        range.listen((change, oldValue) -> overlay.override(change.key.substring(CONFIG.length() + 1), change.value));
        range.listen(spring);
        spring.attached(context);
    }

    @Test
    void eachChangeIsResolvedAgainstItsOwnRevisionsValuesEvenWhenTheNextOneIsAlreadyInTheProperties() {
        range.applyEvents(List.of(put("promo.discount", "44", 5), put("promo.nested.code", "c44", 5)));
        range.applyEvents(List.of(put("promo.discount", "45", 6), put("promo.nested.code", "c45", 6)));
        assertThat(overlay.getProperty("promo.discount")).isEqualTo("45");

        apply.runDue();
        assertThat(context.seen).containsExactly("44 c44", "45 c45");
        assertThat(overlay.getProperty("promo.discount")).as("unpinned").isEqualTo("45");
    }

    @Test
    void theKeysOfOneTransactionReachTheContextTogetherOnTheApplyLoop() {
        range.applyEvents(List.of(put("promo.discount", "25", 5), put("promo.nested.code", "c25", 5)));
        assertThat(context.batches).as("nothing on the etcd loop's thread").isEmpty();

        apply.runDue();
        assertThat(context.batches).containsExactly(Set.of("promo.discount", "promo.nested.code"));
    }

    @Test
    void jdkOwnedNamesAndValuesThatAreNotUtf8NeverReachSpring() {
        range.applyEvents(List.of(put("http.proxyHost", "evil", 5), new Change(CONFIG + "/x", "?", 6, true)));
        apply.runDue();
        assertThat(context.batches).isEmpty();
    }

    @Test
    void aRefusalIsReportedByKeyAndClearedOnceTheMemberTakesALaterChange() {
        String member = "Spring @ConfigurationProperties(\"promo\") bean 'promo'";
        context.answers.add(List.<String[]>of(new String[] {"promo.discount", member, "promo.discount: cannot convert to int"}));
        context.answers.add(List.<String[]>of(new String[] {"promo.window", member, null}));

        range.applyEvents(List.of(put("promo.discount", "abc", 5)));
        apply.runDue();
        range.applyEvents(List.of(put("promo.window", "30s", 6)));
        apply.runDue();

        assertThat(outcomes).containsExactly(
                "rejected " + CONFIG + "/promo.discount@5 " + member + ": promo.discount: cannot convert to int",
                "applied " + CONFIG + "/promo.window@6 " + member,
                // The bean took the whole environment at revision 6: the discount's value is in it now.
                "applied " + CONFIG + "/promo.discount@6 " + member);
    }

    @Test
    void aClosedContextIsForgotten() {
        context.closed = true;
        range.applyEvents(List.of(put("promo.enabled", "true", 5)));
        apply.runDue();
        range.applyEvents(List.of(put("promo.enabled", "false", 6)));
        apply.runDue();

        assertThat(context.calls).isEqualTo(1);
    }

    @Test
    void theContextIsBroughtUpToDateOnceAfterItsRefreshEvenWithoutAChange() {
        apply.advanceMillis(999);
        assertThat(context.calls).isZero();
        apply.advanceMillis(1);
        assertThat(context.calls).isEqualTo(1);
        assertThat(context.batches).as("everything: null").isEmpty();
    }

    private static Change put(String name, String value, long revision) {
        return new Change(CONFIG + "/" + name, value, revision, false);
    }

    /** Records what it is handed; answers from a script, or nothing. */
    private final class StandInContext implements Function<Set<String>, List<String[]>> {
        final List<Set<String>> batches = new ArrayList<>();
        /** What the properties held for this thread at each call. */
        final List<String> seen = new ArrayList<>();
        final List<List<String[]>> answers = new ArrayList<>();
        boolean closed;
        int calls;

        @Override
        public List<String[]> apply(Set<String> names) {
            calls++;
            if (closed) {
                return null;
            }
            if (names != null) {
                batches.add(new LinkedHashSet<>(names));
                seen.add(overlay.getProperty("promo.discount") + " " + overlay.getProperty("promo.nested.code"));
            }
            return answers.isEmpty() ? List.of() : answers.remove(0);
        }
    }
}
