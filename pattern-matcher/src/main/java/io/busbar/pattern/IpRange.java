package io.busbar.pattern;

/**
 * A {@code cidr} operand: an IPv4 or IPv6 network and a prefix length. Event values are parsed strictly as IP
 * literals (no host names, no DNS), so {@code 10.0.0.256} or a number never match, and compressed and expanded
 * IPv6 forms of one address are the same address (spec 3.3.9).
 */
final class IpRange {
    private final byte[] network;
    private final int bits;

    private IpRange(byte[] network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** Parses {@code address/bits} with EventBridge's reasons for each way it can be wrong. */
    static IpRange parse(String cidr) throws PatternSyntaxError {
        int slash = cidr.indexOf('/');
        if (slash < 0 || cidr.indexOf('/', slash + 1) >= 0) {
            throw new PatternSyntaxError("Malformed CIDR, one '/' required");
        }
        String addr = cidr.substring(0, slash);
        String maskText = cidr.substring(slash + 1);
        int mask;
        try {
            mask = Integer.parseInt(maskText);
        } catch (NumberFormatException e) {
            throw new PatternSyntaxError("Malformed CIDR, mask bits must be an integer");
        }
        byte[] ip = parseAddress(addr);
        if (ip == null) {
            throw new PatternSyntaxError("Nonstandard IP address: " + addr);
        }
        if (mask < 0) {
            throw new PatternSyntaxError("Malformed CIDR, mask bits must be an integer");
        }
        if (ip.length == 4 && mask >= 32) {
            throw new PatternSyntaxError("IPv4 mask bits must be < 32");
        }
        if (ip.length == 16 && mask >= 128) {
            throw new PatternSyntaxError("IPv6 mask bits must be < 128");
        }
        return new IpRange(ip, mask);
    }

    boolean contains(byte[] buf, int off, int len) {
        byte[] ip = parseAddress(buf, off, len);
        if (ip == null || ip.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (ip[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (ip[full] & m) == (network[full] & m);
    }

    static byte[] parseAddress(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return null;
            }
        }
        return parseAddress(b, 0, b.length);
    }

    /** An IPv4 (4 bytes) or IPv6 (16 bytes) literal, or {@code null}. */
    static byte[] parseAddress(byte[] b, int off, int len) {
        if (len <= 0 || len > 45) {
            return null;
        }
        boolean colon = false;
        for (int i = off; i < off + len; i++) {
            if (b[i] == ':') {
                colon = true;
                break;
            }
        }
        if (!colon) {
            byte[] out = new byte[4];
            return parseV4(b, off, off + len, out, 0) ? out : null;
        }
        return parseV6(b, off, off + len);
    }

    private static boolean parseV4(byte[] b, int from, int to, byte[] out, int at) {
        int part = 0;
        int i = from;
        while (part < 4) {
            int value = 0;
            int digits = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9' && digits < 4) {
                value = value * 10 + (b[i] - '0');
                digits++;
                i++;
            }
            if (digits == 0 || digits > 3 || value > 255) {
                return false;
            }
            out[at + part] = (byte) value;
            part++;
            if (part < 4) {
                if (i >= to || b[i] != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == to;
    }

    private static byte[] parseV6(byte[] b, int from, int to) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = from;
        byte[] out = new byte[16];
        if (i + 1 < to && b[i] == ':' && b[i + 1] == ':') {
            gap = 0;
            i += 2;
            if (i == to) {
                return out;
            }
        } else if (i < to && b[i] == ':') {
            return null;
        }
        while (i < to) {
            if (count == 8) {
                return null;
            }
            // An embedded IPv4 tail, e.g. ::ffff:10.0.0.1
            int dot = -1;
            for (int j = i; j < to && b[j] != ':'; j++) {
                if (b[j] == '.') {
                    dot = j;
                    break;
                }
            }
            if (dot >= 0) {
                if (count > 6) {
                    return null;
                }
                byte[] v4 = new byte[4];
                if (!parseV4(b, i, to, v4, 0)) {
                    return null;
                }
                groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                i = to;
                break;
            }
            int value = 0;
            int digits = 0;
            while (i < to && digits < 5) {
                int h = hex(b[i]);
                if (h < 0) {
                    break;
                }
                value = (value << 4) | h;
                digits++;
                i++;
            }
            if (digits == 0 || digits > 4) {
                return null;
            }
            groups[count++] = value;
            if (i == to) {
                break;
            }
            if (b[i] != ':') {
                return null;
            }
            i++;
            if (i < to && b[i] == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return null;
            }
        }
        if (gap < 0 && count != 8) {
            return null;
        }
        if (gap >= 0 && count > 7) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        for (int g = 0; g < 8; g++) {
            out[2 * g] = (byte) (full[g] >> 8);
            out[2 * g + 1] = (byte) full[g];
        }
        return out;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
