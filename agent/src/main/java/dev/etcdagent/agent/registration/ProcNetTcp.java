package dev.etcdagent.agent.registration;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Set;

/**
 * Reads Linux's TCP socket tables ({@code /proc/self/net/tcp} and {@code tcp6}): which of the given
 * socket inodes are listening, and on which address. A line is
 * {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}, the address
 * as hexadecimal 32-bit words in the host's byte order and the port in network order; state
 * {@code 0A} is LISTEN.
 */
final class ProcNetTcp {

    private static final String LISTEN = "0A";

    private ProcNetTcp() {
    }

    /** Adds to {@code listening} each line's inode and local address if it listens and is among {@code inodes}. */
    static void listening(String line, Set<Long> inodes, Map<Long, InetSocketAddress> listening) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 10 || !LISTEN.equals(fields[3])) {
            return;
        }
        long inode;
        try {
            inode = Long.parseLong(fields[9]);
        } catch (NumberFormatException header) {
            return;
        }
        if (!inodes.contains(inode)) {
            return;
        }
        InetSocketAddress local = address(fields[1]);
        if (local != null) {
            listening.put(inode, local);
        }
    }

    /** {@code 0100007F:1F90} is 127.0.0.1:8080 on a little-endian host. */
    static InetSocketAddress address(String field) {
        int colon = field.indexOf(':');
        if (colon != 8 && colon != 32) {
            return null;
        }
        String hex = field.substring(0, colon);
        byte[] bytes = new byte[hex.length() / 2];
        boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + i * 2;
                int value = Integer.parseInt(hex.substring(at, at + 2), 16);
                bytes[word * 4 + (littleEndian ? 3 - i : i)] = (byte) value;
            }
        }
        try {
            // A v4-mapped IPv6 address comes back as an Inet4Address.
            return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(field.substring(colon + 1), 16));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The inode of a {@code /proc/self/fd} link's target {@code socket:[12345]}, or -1 for anything else. */
    static long socketInode(String linkTarget) {
        if (!linkTarget.startsWith("socket:[") || !linkTarget.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(linkTarget.substring(8, linkTarget.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
