package dev.etcdagent.agent.values;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.log.AgentLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTest {

    private static final String SERVICE = "/service/a";

    @TempDir
    Path dir;

    private Snapshot snapshot(Path file) {
        return new Snapshot(file, SERVICE, "http://10.0.0.1:2379");
    }

    private static WatchedRange read(String key, boolean prefix, long revision, Change... entries) {
        WatchedRange range = new WatchedRange(key, prefix);
        range.applyRead(new RangeRead(List.of(entries), revision, 1));
        return range;
    }

    private static Change put(String key, String value) {
        return new Change(key, value, 3, false);
    }

    @Test
    void whatIsSavedLoadsAgainAndOnlyItsUserMayReadIt() throws Exception {
        Path file = dir.resolve("a.json");
        snapshot(file).save(Map.of("/config/service/a/price", "42.5"), 7);

        assertThat(snapshot(file).load()).containsExactly(Map.entry("/config/service/a/price", "42.5"));
        assertThat(Files.readString(file)).contains("\"endpoints\" : \"http://10.0.0.1:2379\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void aRangeNeverReadKeepsWhatTheLastSnapshotHadOfIt() {
        Path file = dir.resolve("a.json");
        Map<String, String> before = Map.of("/config/service/a/price", "1", "/global/discount", "15",
                "/global/gone", "x");
        snapshot(file).save(before, 5);

        WatchedRange config = read("/config/service/a/", true, 9, put("/config/service/a/price", "2"));
        WatchedRange neverRead = new WatchedRange("/global/discount", false);
        snapshot(file).saveKnown(List.of(config, neverRead), () -> before);

        assertThat(snapshot(file).load()).containsOnly(Map.entry("/config/service/a/price", "2"),
                Map.entry("/global/discount", "15"));
    }

    @Test
    void nothingIsWrittenBeforeAnyRangeHasBeenRead() {
        Path file = dir.resolve("a.json");
        snapshot(file).saveKnown(List.of(new WatchedRange("/config/service/a/", true)),
                () -> Map.of("/config/service/a/price", "1"));

        assertThat(file).doesNotExist();
    }

    @Test
    void aWriteThatFailsIsSaidOnceAndItsRecoveryOnce() throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the directory should be");
        Snapshot snapshot = snapshot(blocked.resolve("a.json"));

        snapshot.save(Map.of("/config/service/a/price", "1"), 1);
        String warning = AgentLog.lastProblem();
        assertThat(warning).contains("cannot write snapshot " + blocked.resolve("a.json")).contains("Said once");
        snapshot.save(Map.of("/config/service/a/price", "2"), 2);
        assertThat(AgentLog.lastProblem()).as("no second WARN").isEqualTo(warning);

        Files.delete(blocked);
        snapshot.save(Map.of("/config/service/a/price", "3"), 3);
        assertThat(snapshot.load()).containsEntry("/config/service/a/price", "3");
        Files.delete(blocked.resolve("a.json"));
        Files.delete(blocked);
        Files.writeString(blocked, "blocked again");
        snapshot.save(Map.of("/config/service/a/price", "4"), 4);
        assertThat(AgentLog.lastProblem()).as("a new WARN after the recovery").isNotEqualTo(warning)
                .contains("cannot write snapshot");
    }

    @Test
    void aCorruptFileIsIgnoredWithoutQuotingIt() throws Exception {
        Path file = dir.resolve("a.json");
        Files.writeString(file, "{\"format\":1,\"service\":\"/service/a\",\"values\":{\"/config/service/a/pw\":s3cret}}");

        assertThat(snapshot(file).load()).isEmpty();
        assertThat(AgentLog.lastProblem()).contains("it is unreadable or corrupt (not JSON at line 1, column")
                .doesNotContain("s3cret");
    }
}
