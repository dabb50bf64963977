package dev.etcdagent.agent.tool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.scope.Scope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each changing command writes, from the key's family as read. */
class ChangePlansTest {

    private static final String BASE = "/config/service/a/discount";

    private static Family family(String... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(BASE + keysAndValues[i], keysAndValues[i + 1]);
        }
        return Family.of(BASE, 40, values);
    }

    private static List<String> writes(ChangePlan plan) {
        List<String> writes = new ArrayList<>();
        for (ChangePlan.Write write : plan.writes) {
            writes.add(write.key.substring(BASE.length()) + (write.value == null ? " deleted" : "=" + write.value)
                    + (write.ttl == null ? "" : " for " + write.ttl.toSeconds() + "s"));
        }
        return writes;
    }

    @Test
    void raisingACanaryReplacesTheEarlierOneInOneTransaction() {
        Family family = family("", "10", "@canary=10", "20", "@canary=5@temporary", "30");
        ChangePlan plan = ChangePlans.put(family, "20", List.of(Scope.canary(50)), null);
        assertThat(writes(plan)).containsExactly("@canary=10 deleted", "@canary=50=20");
        assertThat(plan.scope).isEqualTo("canary 50%");
    }

    @Test
    void aTemporaryValueWithoutAScopeIsAnOverrideForAllSoTheBaseValueStays() {
        ChangePlan plan = ChangePlans.put(family("", "10"), "40", List.of(), Duration.ofHours(24));
        assertThat(writes(plan)).containsExactly("@all@temporary=40 for 86400s");
        assertThat(plan.scope).isEqualTo("all, temporary for 1d");
        assertThat(writes(ChangePlans.put(family("", "10"), "5", List.of(Scope.instance("i-1"), Scope.instance("i-2")),
                Duration.ofSeconds(90)))).containsExactly("@instance=i-1@temporary=5 for 90s",
                "@instance=i-2@temporary=5 for 90s");
    }

    @Test
    void promoteTakesTheOneValueOfTheOverridesAndRemovesThem() {
        ChangePlan plan = ChangePlans.promote(family("", "10", "@canary=50", "20"), List.of());
        assertThat(writes(plan)).containsExactly("=20", "@canary=50 deleted");
        assertThatThrownBy(() -> ChangePlans.promote(family("", "10", "@canary=50", "20", "@label=zone:eu", "30"),
                List.of())).hasMessageContaining("hold different values").hasMessageNotContaining("30");
        assertThat(writes(ChangePlans.promote(family("@canary=50", "20", "@label=zone:eu", "30"),
                List.of(Scope.label("zone", "eu"))))).containsExactly("=30", "@label=zone:eu deleted");
        assertThatThrownBy(() -> ChangePlans.promote(family("", "10"), List.of())).hasMessageContaining("no override");
    }

    @Test
    void abortRemovesEveryOverrideOrThoseOfTheScopeTemporaryOnesIncluded() {
        Family family = family("", "10", "@label=zone:eu", "20", "@label=zone:eu@temporary", "25", "@canary=5", "30");
        assertThat(writes(ChangePlans.abort(family, List.of()))).containsExactly("@label=zone:eu deleted",
                "@label=zone:eu@temporary deleted", "@canary=5 deleted");
        assertThat(writes(ChangePlans.abort(family, List.of(Scope.label("zone", "eu")))))
                .containsExactly("@label=zone:eu deleted", "@label=zone:eu@temporary deleted");
        assertThat(ChangePlans.abort(family("", "10"), List.of())).isNull();
    }

    @Test
    void rollbackPutsBackWhatDiffersDeletesWhatWasNotThereAndLeavesEndedTemporaryValues() {
        Family now = family("", "9", "@canary=50", "20");
        Family then = family("", "4", "@all@temporary", "40");
        List<String> skipped = new ArrayList<>();
        ChangePlan plan = ChangePlans.rollback(now, then, skipped);
        assertThat(writes(plan)).containsExactly("=4", "@canary=50 deleted");
        assertThat(skipped).containsExactly("all, temporary");
        assertThat(ChangePlans.rollback(now, family("", "9", "@canary=50", "20"), new ArrayList<>()).isEmpty()).isTrue();
    }

    @Test
    void deleteOfWhatIsNotThereIsNothing() {
        assertThat(ChangePlans.delete(family("@canary=5", "1"), List.of())).isNull();
        assertThat(ChangePlans.delete(family("", "1"), List.of(Scope.label("zone", "eu")))).isNull();
        assertThat(writes(ChangePlans.delete(family("", "1", "@label=zone:eu", "2"), List.of(Scope.label("zone", "eu")))))
                .containsExactly("@label=zone:eu deleted");
    }
}
