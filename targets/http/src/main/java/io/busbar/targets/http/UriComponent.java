package io.busbar.targets.http;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of one URI component (a path segment, a query key or value, a form field): every byte but the
 * RFC 3986 unreserved characters is escaped. A value taken from an event therefore stays inside its segment and can
 * neither add path levels nor start a query.
 */
final class UriComponent {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriComponent() {
    }

    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }
}
