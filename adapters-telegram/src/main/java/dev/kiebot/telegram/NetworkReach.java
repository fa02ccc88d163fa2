package dev.kiebot.telegram;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * How far inward an address lies, seen from the internet, for {@link RedirectGuard}; ordered, so that a download
 * "reaches no further inward" than a bound by comparison. Addresses no file a shop delivers is served from
 * (link-local, unspecified, multicast) have no reach at all.
 */
enum NetworkReach {
    PUBLIC, PRIVATE, LOOPBACK;

    /** 64:ff9b::/96, the well-known NAT64 prefix: its last 32 bits are the IPv4 address a NAT64 gateway reaches. */
    private static final byte[] NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    /** ::ffff:0:0/96, IPv4-mapped: the IPv4 address in its last 32 bits is where a dual-stack socket connects. */
    private static final byte[] IPV4_MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    /** Where one address lies; empty for one no file is served from. */
    static Optional<NetworkReach> of(InetAddress a) {
        Optional<Inet4Address> embedded = embeddedIpv4(a);
        if (embedded.isPresent()) {
            // a gateway (NAT64, 6to4) or the stack (IPv4-compatible) takes it to the IPv4 address inside
            return of(embedded.get());
        }
        byte[] b = a.getAddress();
        // 0.0.0.0/8 is "this network": Linux connects 0.0.0.0 to this machine
        if (a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()
                || (a instanceof Inet4Address && b[0] == 0)) {
            return Optional.empty();
        }
        if (a.isLoopbackAddress()) {
            return Optional.of(LOOPBACK);
        }
        return Optional.of(a.isSiteLocalAddress() || otherPrivate(a, b) ? PRIVATE : PUBLIC);
    }

    /**
     * Ranges that are no one's on the internet but a network's own, besides RFC 1918 ({@code isSiteLocalAddress},
     * which also covers IPv6's deprecated fec0::/10).
     */
    private static boolean otherPrivate(InetAddress a, byte[] b) {
        if (a instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xfe) == 0xfc; // fc00::/7 (AWS's metadata at fd00:ec2::254)
            boolean localNat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && b[4] == 0 && b[5] == 1; // 64:ff9b:1::/48, a network's own NAT64 (RFC 8215)
            return uniqueLocal || localNat64;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        boolean shared = first == 100 && (second & 0xc0) == 64; // 100.64/10, carrier NAT: Alibaba's metadata
        boolean benchmarking = first == 198 && (second & 0xfe) == 18; // 198.18/15, used inside clusters (GKE)
        boolean protocol = first == 192 && second == 0 && b[2] == 0; // 192.0.0.0/24, IETF protocol assignments
        boolean reserved = first >= 240; // 240/4 (and the broadcast address), used inside clusters too
        return shared || benchmarking || protocol || reserved;
    }

    /**
     * The IPv4 address inside an IPv6 one that carries it: NAT64 (64:ff9b::/96), 6to4 (2002::/16), ::a.b.c.d, and
     * IPv4-mapped ::ffff:a.b.c.d. The last never comes from a literal (Java makes that an {@code Inet4Address}), but the
     * system's lookup gives a name whose AAAA record is one as an {@code Inet6Address}, neither loopback nor
     * site-local, and a connection to it reaches the IPv4 address: {@code ::ffff:127.0.0.1} counted as the internet.
     */
    private static Optional<Inet4Address> embeddedIpv4(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = a.getAddress();
        byte[] v4;
        if (Arrays.equals(b, 0, 12, NAT64, 0, 12)) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (Arrays.equals(b, 0, 12, IPV4_MAPPED, 0, 12)) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6);
        } else if (Arrays.equals(b, 0, 12, new byte[12], 0, 12) && !a.isAnyLocalAddress() && !a.isLoopbackAddress()) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }
}
