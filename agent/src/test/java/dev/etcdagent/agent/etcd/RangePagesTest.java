package dev.etcdagent.agent.etcd;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A range read page by page: one snapshot at the first page's revision, whatever its size. */
class RangePagesTest {

    private static Change put(String key, long revision) {
        return new Change(key, "v", revision, false);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void laterPagesStartJustPastTheLastKeyAtTheFirstPagesRevision() {
        RangePages pages = new RangePages("/config/a/", true);
        assertThat(pages.startKey()).isEqualTo(bytes("/config/a/"));
        assertThat(pages.endKey()).isEqualTo(bytes("/config/a0"));
        assertThat(pages.revision()).isZero();

        boolean done = pages.add(List.of(put("/config/a/x", 3)), bytes("/config/a/x"), true, 40, 7);

        assertThat(done).isFalse();
        assertThat(pages.startKey()).isEqualTo(bytes("/config/a/x\0"));
        assertThat(pages.revision()).isEqualTo(40);
        assertThat(pages.add(List.of(put("/config/a/y", 5)), bytes("/config/a/y"), false, 41, 7)).isTrue();
        RangeRead read = pages.result();
        assertThat(read.revision).isEqualTo(40);
        assertThat(read.clusterId).isEqualTo(7);
        assertThat(read.entries).extracting(change -> change.key).containsExactly("/config/a/x", "/config/a/y");
    }

    @Test
    void aSingleKeyIsOnePage() {
        RangePages pages = new RangePages("/global/discount", false);
        assertThat(pages.endKey()).isNull();
        assertThat(pages.add(List.of(), null, false, 9, 1)).isTrue();
        assertThat(pages.result().entries).isEmpty();
        assertThat(pages.result().revision).isEqualTo(9);
    }

    @Test
    void aPageOverTheSizeLimitIsHalvedDownToOneKey() {
        RangePages pages = new RangePages("/p/", true);
        assertThat(pages.shrink()).isTrue();
        assertThat(pages.limit()).isEqualTo(RangePages.FIRST_LIMIT / 2);
        while (pages.shrink()) {
            assertThat(pages.limit()).isPositive();
        }
        assertThat(pages.limit()).isEqualTo(1);
    }

    @Test
    void aCompactedRevisionStartsTheWholeReadAgain() {
        RangePages pages = new RangePages("/p/", true);
        pages.add(List.of(put("/p/a", 2)), bytes("/p/a"), true, 10, 1);

        pages.restart();

        assertThat(pages.startKey()).isEqualTo(bytes("/p/"));
        assertThat(pages.revision()).isZero();
        assertThat(pages.add(List.of(put("/p/b", 12)), bytes("/p/b"), false, 12, 1)).isTrue();
        assertThat(pages.result().entries).extracting(change -> change.key).containsExactly("/p/b");
        assertThat(pages.result().revision).isEqualTo(12);
    }
}
