package dev.etcdagent.agent.scope;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import dev.etcdagent.agent.etcd.Change;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How override keys are read, and which entry of a key applies to an instance. */
class PrecedenceTest {

    private static final String BASE = "/config/service/a/promo.discount";
    private static final Map<String, String> EU = Map.of("zone", "eu", "tier", "gold");

    private static Change put(String suffix, String value, long revision) {
        return new Change(BASE + suffix, value, revision, false);
    }

    @Test
    void everyScopeIsReadFromItsKeyAndWrittenBackTheSame() {
        for (Scope scope : List.of(Scope.instance("10.0.0.7:8080"), Scope.instance("1234@host"),
                Scope.label("zone", "eu"), Scope.canary(34), Scope.all().temporary(), Scope.canary(10).temporary())) {
            ScopedKey key = ScopedKey.of(BASE, scope);
            ScopedKey read = ScopedKey.parse(key.key);
            assertThat(read.base).isEqualTo(BASE);
            assertThat(read.scope).isEqualTo(scope);
        }
        assertThat(ScopedKey.of(BASE, Scope.label("zone", "eu").temporary()).key)
                .isEqualTo(BASE + "@label=zone:eu@temporary");
    }

    @Test
    void anAtThatNamesNoScopeIsPartOfAnOrdinaryName() {
        for (String name : List.of("/config/a/mail@host", "/config/a/x@canary=101", "/config/a/x@canary=",
                "/config/a/x@label=zone", "/config/a/x@all-of-it", "/config/a@instance=1/x")) {
            ScopedKey read = ScopedKey.parse(name);
            assertThat(read.isOverride()).as(name).isFalse();
            assertThat(read.base).isEqualTo(name);
        }
    }

    @Test
    void theBucketIsTheCrc32OfTheIdModulo100() {
        CRC32 crc = new CRC32();
        crc.update("10.0.0.7:8080".getBytes(StandardCharsets.UTF_8));
        assertThat(Scope.bucket("10.0.0.7:8080")).isEqualTo((int) (crc.getValue() % 100));
        String id = idInBucketBelow(34);
        assertThat(Scope.canary(34).appliesTo(id, Map.of())).isTrue();
        assertThat(Scope.canary(Scope.bucket(id)).appliesTo(id, Map.of())).isFalse();
        assertThat(Scope.canary(100).appliesTo(id, Map.of())).isTrue();
        assertThat(Scope.canary(0).appliesTo(id, Map.of())).isFalse();
        assertThat(Scope.canary(100).appliesTo(null, Map.of())).as("no id yet").isFalse();
    }

    private static String idInBucketBelow(int percent) {
        for (int i = 0; ; i++) {
            if (Scope.bucket("i-" + i) < percent) {
                return "i-" + i;
            }
        }
    }

    @Test
    void instanceBeatsLabelBeatsCanaryBeatsAllBeatsBase() {
        String id = idInBucketBelow(50);
        List<Change> family = List.of(put("", "base", 1), put("@all", "all", 2), put("@canary=50", "canary", 3),
                put("@label=zone:eu", "label", 4), put("@instance=" + id, "instance", 5));
        assertThat(Precedence.winner(family, id, EU).value).isEqualTo("instance");
        assertThat(Precedence.winner(family, "other", EU).value).isIn("label");
        assertThat(Precedence.winner(family.subList(0, 3), id, EU).value).isEqualTo("canary");
        assertThat(Precedence.winner(family.subList(0, 2), id, Map.of()).value).isEqualTo("all");
        assertThat(Precedence.winner(family.subList(0, 1), id, Map.of()).value).isEqualTo("base");
    }

    @Test
    void aTemporaryOverrideBeatsALastingOneOfItsKindAndTheNewerOfTwoAlikeWins() {
        List<Change> family = List.of(put("@label=zone:eu@temporary", "flash", 7), put("@label=zone:eu", "lasting", 9),
                put("@label=tier:gold", "gold", 8));
        assertThat(Precedence.winner(family, "x", EU).value).isEqualTo("flash");
        assertThat(Precedence.winner(family.subList(1, 3), "x", EU).value).isEqualTo("lasting");
        assertThat(Precedence.winner(List.of(put("@canary=10", "ten", 5), put("@canary=50", "fifty", 6)),
                idInBucketBelow(10), Map.of()).value).isEqualTo("fifty");
    }

    @Test
    void overridesThatDoNotApplyLeaveTheBaseOrNothing() {
        List<Change> family = List.of(put("@label=zone:us", "us", 4), put("@instance=other", "other", 5));
        assertThat(Precedence.winner(family, "me", EU)).isNull();
        assertThat(Precedence.winner(List.of(put("", "base", 1), family.get(0)), "me", EU).value).isEqualTo("base");
    }
}
