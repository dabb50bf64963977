package dev.etcdagent.agent.registration;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Lines as Linux (x86-64, little-endian) writes them in /proc/self/net/tcp and tcp6. */
class ProcNetTcpTest {

    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode";

    private static Map<Long, InetSocketAddress> listening(Set<Long> inodes, String... lines) {
        Map<Long, InetSocketAddress> found = new HashMap<>();
        for (String line : lines) {
            ProcNetTcp.listening(line, inodes, found);
        }
        return found;
    }

    @Test
    void ownListeningSocketsAreFoundWithTheirAddress() {
        Map<Long, InetSocketAddress> found = listening(Set.of(233728L, 234631L, 300L), HEADER,
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 233728 1 "
                        + "00000000db72af7e 100 0 0 10 0",
                "   0: 0000000000000000FFFF00000100007F:8A5D 00000000000000000000000000000000:0000 0A 00000000:00000000"
                        + " 00:00000000 00000000     0        0 234631 1 000000000b9410d8 100 0 0 10 0",
                "   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000"
                        + " 00:00000000 00000000     0        0 300 1 000000000b9410d8 100 0 0 10 0");

        assertThat(found).containsOnly(
                Map.entry(233728L, new InetSocketAddress("127.0.0.1", 8080)),
                Map.entry(234631L, new InetSocketAddress("127.0.0.1", 0x8A5D)),
                Map.entry(300L, new InetSocketAddress("::", 80)));
        assertThat(found.get(300L).getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void connectionsAndOtherProcessesSocketsAreIgnored() {
        Map<Long, InetSocketAddress> found = listening(Set.of(11L), HEADER,
                "   2: 0100007F:C350 0100007F:094B 01 00000000:00000000 00:00000000 00000000     0        0 11 1 x",
                "   3: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12 1 x");

        assertThat(found).isEmpty();
    }

    @Test
    void socketInodeComesFromTheDescriptorsLink() {
        assertThat(ProcNetTcp.socketInode("socket:[233728]")).isEqualTo(233728L);
        assertThat(ProcNetTcp.socketInode("/usr/lib/jvm/lib/modules")).isEqualTo(-1);
        assertThat(ProcNetTcp.socketInode("anon_inode:[eventpoll]")).isEqualTo(-1);
    }

    @Test
    void malformedAddressesAreSkipped() {
        assertThat(ProcNetTcp.address("0100007F1F90")).isNull();
        assertThat(ProcNetTcp.address("01007F:1F90")).isNull();
    }
}
