package dev.latchkey.authz.cel;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** OpenFGA's {@code ipaddress.in_cidr("10.0.0.0/8")}: whether an IPv4 or IPv6 address lies in a CIDR block. */
final class Cidr {
    private Cidr() {
    }

    static boolean contains(String address, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR block: " + cidr);
        }
        byte[] ip = parse(address);
        byte[] net = parse(cidr.substring(0, slash));
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        if (ip.length != net.length || bits < 0 || bits > ip.length * 8) {
            return false;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(ip.length * 8).subtract(BigInteger.ONE).shiftRight(bits).not();
        return new BigInteger(1, ip).and(mask).equals(new BigInteger(1, net).and(mask));
    }

    /** Only literal addresses: never a name lookup. */
    private static byte[] parse(String s) {
        if (!s.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address: " + s);
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + s, e);
        }
    }
}
