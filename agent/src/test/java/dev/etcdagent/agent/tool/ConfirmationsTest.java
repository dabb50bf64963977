package dev.etcdagent.agent.tool;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.etcdagent.agent.status.StatusRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules that decide what a put's wait reports, fed records as the watch would. */
class ConfirmationsTest {

    private static final String KEY = "/config/service/a/price";

    private final Confirmations confirmations = new Confirmations("/service/a", KEY, 10, record -> true);

    /** A record of instance {@code instance}, in a JVM of its own. */
    private static StatusRecord record(String instance, long configRevision, String rejectedKey) {
        return record(instance, 1000 + instance.hashCode() % 1000, configRevision, rejectedKey);
    }

    private static StatusRecord record(String instance, long pid, long configRevision, String rejectedKey) {
        return new StatusRecord("/service/a", instance, instance, pid, "h", "t", "v", "17",
                List.of(new StatusRecord.Range("/config/service/a/", true, configRevision)),
                rejectedKey == null ? Map.of() : Map.of(rejectedKey,
                        new StatusRecord.Rejection(configRevision, "C.price", "not a decimal number")));
    }

    private static StatusRecord following(String instance, String... keys) {
        return new StatusRecord("/service/a", instance, instance, 1, "h", "t", "v", "17",
                Arrays.stream(keys).map(key -> new StatusRecord.Range(key, key.endsWith("/"), 5))
                        .collect(Collectors.toList()), Map.of());
    }

    @Test
    void anInstanceConfirmsOnceItsCoveringRangeReachesTheRevision() {
        assertThat(confirmations.update("k1", record("i1", 9, null), 0)).isNull();
        assertThat(confirmations.settled()).isFalse();
        Confirmations.Decision decision = confirmations.update("k1", record("i1", 10, null), 5);
        assertThat(decision.outcome).isEqualTo(Confirmations.Outcome.APPLIED);
        assertThat(decision.millis).isEqualTo(5);
        assertThat(confirmations.settled()).isTrue();
        assertThat(confirmations.update("k1", record("i1", 11, null), 6)).as("answered once").isNull();
        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.APPLIED_BY_ALL);
    }

    @Test
    void aRejectionNamedInTheRecordIsARejection() {
        Confirmations.Decision decision = confirmations.update("k1", record("i1", 10, KEY), 3);
        assertThat(decision.outcome).isEqualTo(Confirmations.Outcome.REJECTED);
        assertThat(decision.rejection.reason).isEqualTo("not a decimal number");
        assertThat(confirmations.answered(Confirmations.Outcome.REJECTED)).hasSize(1);
        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.REJECTED);
    }

    @Test
    void instancesThatDoNotFollowTheKeyOrOfAnotherServiceAreNotWaitedFor() {
        Confirmations discount = new Confirmations("/service/a", "/global/discount", 10, record -> true);
        assertThat(discount.update("k1", record("i1", 5, null), 0)).isNull();
        StatusRecord other = new StatusRecord("/service/ab", "i2", "i2", 1, "h", "t", "v", "17",
                List.of(new StatusRecord.Range("/global/discount", false, 5)), Map.of());
        assertThat(discount.update("k2", other, 0)).isNull();
        assertThat(discount.settled()).isTrue();
        assertThat(discount.followers()).isZero();
        assertThat(discount.liveInstances()).as("of /service/a only").isEqualTo(1);
    }

    @Test
    void aRecordThatGoesWithoutACleanExitIsNotConfirmed() {
        confirmations.update("k1", record("i1", 9, null), 0);
        confirmations.update("k2", record("i2", 9, null), 0);
        confirmations.update("k3", record("i3", 9, null), 0);

        Confirmations.Decision gone = confirmations.update("k1", null, 7);
        confirmations.update("k2", record("i2", 10, null), 8);
        confirmations.update("k3", record("i3", 10, null), 9);

        assertThat(gone.outcome).isEqualTo(Confirmations.Outcome.VANISHED);
        assertThat(gone.instance).isEqualTo("i1");
        assertThat(confirmations.settled()).as("it may still come back").isFalse();
        assertThat(confirmations.unanswered()).isEmpty();
        assertThat(confirmations.vanished()).extracting(record -> record.instance).containsExactly("i1");
        assertThat(confirmations.followers()).isEqualTo(3);
        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.NOT_CONFIRMED);
    }

    @Test
    void aVanishedInstanceThatComesBackUnderTheSameKeyAndConfirmsIsApplied() {
        confirmations.update("k1", record("i1", 9, null), 0);
        confirmations.update("k1", null, 5);

        Confirmations.Decision back = confirmations.update("k1", record("i1", 9, null), 800);
        assertThat(back.outcome).isEqualTo(Confirmations.Outcome.RETURNED);
        assertThat(confirmations.vanished()).isEmpty();
        assertThat(confirmations.unanswered()).hasSize(1);

        assertThat(confirmations.update("k1", record("i1", 10, null), 900).outcome)
                .isEqualTo(Confirmations.Outcome.APPLIED);
        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.APPLIED_BY_ALL);
    }

    @Test
    void aVanishedInstanceMayComeBackUnderAnotherKeyAsTheSameJvmOrTheSameInstanceId() {
        confirmations.update("k1", record("pid@h", 42, 9, null), 0);
        confirmations.update("k2", record("i2", 43, 9, null), 0);
        confirmations.update("k1", null, 5);
        confirmations.update("k2", null, 5);

        assertThat(confirmations.update("k1-listening", record("10.0.0.5:80", 42, 10, null), 900).outcome)
                .as("the same JVM, now named by its address").isEqualTo(Confirmations.Outcome.APPLIED);
        assertThat(confirmations.update("k2-restarted", record("i2", 77, 10, null), 950).outcome)
                .as("the same instance id, another JVM").isEqualTo(Confirmations.Outcome.APPLIED);
        assertThat(confirmations.settled()).isTrue();
        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.APPLIED_BY_ALL);
    }

    @Test
    void anotherInstanceStartingIsNotTakenForAVanishedOne() {
        confirmations.update("k1", record("i1", 42, 9, null), 0);
        confirmations.update("k1", null, 5);

        confirmations.update("k9", record("i9", 99, 10, null), 900);

        assertThat(confirmations.vanished()).extracting(record -> record.instance).containsExactly("i1");
        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.NOT_CONFIRMED);
    }

    @Test
    void aCleanExitDuringTheWaitIsReportedAndNotWaitedFor() {
        confirmations.update("k1", record("i1", 9, null), 0);
        confirmations.update("k2", record("i2", 9, null), 0);

        Confirmations.Decision stopped = confirmations.update("k1", record("i1", 9, null).stopping(), 40);
        assertThat(stopped.outcome).isEqualTo(Confirmations.Outcome.STOPPED);
        assertThat(confirmations.update("k1", null, 41)).as("the revoke that follows").isNull();
        confirmations.update("k2", record("i2", 10, null), 50);

        assertThat(confirmations.settled()).isTrue();
        assertThat(confirmations.followers()).isEqualTo(1);
        assertThat(confirmations.answered(Confirmations.Outcome.STOPPED)).extracting(d -> d.instance)
                .containsExactly("i1");
        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.APPLIED_BY_ALL);
    }

    @Test
    void aLastRecordThatHadAppliedTheChangeCountsAsApplied() {
        confirmations.update("k1", record("i1", 9, null), 0);

        assertThat(confirmations.update("k1", record("i1", 10, null).stopping(), 40).outcome)
                .isEqualTo(Confirmations.Outcome.APPLIED);
    }

    @Test
    void whenEveryFollowerStoppedCleanlyNoLiveInstanceFollowsTheKey() {
        confirmations.update("k1", record("i1", 9, null), 0);
        confirmations.update("k1", record("i1", 9, null).stopping(), 40);
        confirmations.update("k1", null, 41);

        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.NOT_FOLLOWED);
        assertThat(confirmations.liveInstances()).isZero();
    }

    @Test
    void aKeyNoLiveInstanceFollowsNamesWhatTheyDoFollow() {
        Confirmations misspelt = new Confirmations("/service/a", "/global/discont", 10, record -> true);
        misspelt.update("k1", following("i1", "/config/service/a/", "/global/discount"), 0);
        misspelt.update("k2", following("i2", "/config/service/a/", "/service/b/"), 0);

        assertThat(misspelt.followers()).isZero();
        assertThat(misspelt.settled()).isTrue();
        assertThat(misspelt.verdict()).isEqualTo(Confirmations.Verdict.NOT_FOLLOWED);
        assertThat(misspelt.liveInstances()).isEqualTo(2);
        assertThat(misspelt.followedRanges()).containsExactly("/config/service/a/", "/global/discount", "/service/b/");
    }

    @Test
    void aServiceWithNoRecordFollowsNothing() {
        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.NOT_FOLLOWED);
        assertThat(confirmations.liveInstances()).isZero();
    }

    @Test
    void aRejectionOutranksAnInstanceNotConfirmed() {
        confirmations.update("k1", record("i1", 10, KEY), 0);
        confirmations.update("k2", record("i2", 9, null), 0);
        confirmations.update("k2", null, 3);

        assertThat(confirmations.verdict()).isEqualTo(Confirmations.Verdict.REJECTED);
    }

    @Test
    void followersWhoseValueTheChangeDoesNotMoveAreNotWaitedForButCountAsFollowing() {
        Confirmations scoped = new Confirmations("/service/a", KEY, 10, record -> record.instance.equals("i1"));
        scoped.update("k1", record("i1", 9, null), 0);
        scoped.update("k2", record("i2", 9, null), 0);

        assertThat(scoped.followerInstances()).containsExactly("i1");
        assertThat(scoped.following()).containsExactlyInAnyOrder("i1", "i2");
        assertThat(scoped.update("k1", record("i1", 10, null), 5).outcome).isEqualTo(Confirmations.Outcome.APPLIED);
        assertThat(scoped.verdict()).isEqualTo(Confirmations.Verdict.APPLIED_BY_ALL);
    }
}
