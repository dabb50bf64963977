package dev.etcdagent.agent.registration;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;

/** The host to advertise when none is given: the first non-loopback IPv4 address, else loopback. */
final class AdvertisedHost {

    private AdvertisedHost() {
    }

    static String detect() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()
                            && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (Exception ignored) {
            // fall through to loopback
        }
        return "127.0.0.1";
    }

    /** The host for a socket bound to {@code bound}: that address unless it is the wildcard. */
    static String forBinding(InetAddress bound) {
        if (bound == null || bound.isAnyLocalAddress()) {
            return detect();
        }
        return bound.getHostAddress();
    }
}
