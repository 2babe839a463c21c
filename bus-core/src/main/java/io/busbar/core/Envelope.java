package io.busbar.core;

import io.busbar.pattern.EventLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/** The event envelope of spec 1.1, written in EventBridge's field order. */
final class Envelope {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** The text of one second: events arrive many per second, and formatting each time costs a zone lookup. */
    private record SecondText(long second, String text) {
    }

    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, "");

    private Envelope() {
    }

    static String time(Instant t) {
        long second = t.getEpochSecond();
        SecondText last = lastSecond;
        if (last.second() == second) {
            return last.text();
        }
        String text = TIME.format(Instant.ofEpochSecond(second));
        lastSecond = new SecondText(second, text);
        return text;
    }

    /** As {@link #utf8}, as text; the same rule for {@code id}, {@code account} and {@code region}. */
    static String json(String id, String detailType, String source, String account, Instant time, String region,
                       String replayName, List<String> resources, String detail) {
        return utf8(id, detailType, source, account, time, region, replayName, resources,
                detail.getBytes(StandardCharsets.UTF_8)).text();
    }

    /**
     * The envelope's top-level members, in the order {@link #utf8} writes them: the matcher goes straight to the
     * values the rules read (see {@link EventLayout}).
     */
    static final EventLayout LAYOUT = EventLayout.of("version", "id", "detail-type", "source", "account", "time",
            "region", "replay-name", "resources", "detail");
    private static final int REPLAY_NAME = LAYOUT.indexOf("replay-name");

    /**
     * An envelope in UTF-8: the first {@code length} bytes of {@code bytes}, with where each member of
     * {@link #LAYOUT} starts its value ({@code starts}, -1 for an absent replay name). The array is sized by an
     * estimate and not trimmed, which would cost one more copy of the event.
     */
    record Encoded(byte[] bytes, int length, int[] starts) {
        String text() {
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }

    /**
     * The envelope as UTF-8, with {@code detail} (UTF-8, already validated) copied in as it is. PutEvents builds the
     * envelope this way: the matcher reads bytes, and the detail's bytes are needed anyway to validate it, so no
     * envelope text is built only to be encoded again. {@code id}, {@code account} and {@code region} must be ASCII
     * with nothing to escape, as the bus makes them (a UUID, 12 digits, a region name the builder checked): they are
     * copied without the per-character check the other strings get (that check, over all the envelope's strings,
     * was 5% of a PutEvents producer's time).
     */
    static Encoded utf8(String id, String detailType, String source, String account, Instant time, String region,
                       String replayName, List<String> resources, byte[] detail) {
        int size = 192 + id.length() + detailType.length() + source.length() + account.length() + region.length()
                + detail.length + (replayName == null ? 0 : 32 + replayName.length());
        for (String r : resources) {
            size += r.length() + 3;
        }
        Utf8Writer w = new Utf8Writer(size);
        int[] starts = new int[LAYOUT.size()];
        int k = 0;
        w.ascii("{\"version\":");
        starts[k++] = w.length;
        w.ascii("\"0\",\"id\":");
        starts[k++] = w.length;
        w.quotedPlain(id);
        w.ascii(",\"detail-type\":");
        starts[k++] = w.length;
        w.quoted(detailType);
        w.ascii(",\"source\":");
        starts[k++] = w.length;
        w.quoted(source);
        w.ascii(",\"account\":");
        starts[k++] = w.length;
        w.quotedPlain(account);
        w.ascii(",\"time\":");
        starts[k++] = w.length;
        w.ascii("\"");
        w.ascii(time(time));
        w.ascii("\",\"region\":");
        starts[k++] = w.length;
        w.quotedPlain(region);
        starts[k++] = -1;
        if (replayName != null) {
            w.ascii(",\"replay-name\":");
            starts[REPLAY_NAME] = w.length;
            w.quoted(replayName);
        }
        w.ascii(",\"resources\":");
        starts[k++] = w.length;
        w.ascii("[");
        for (int i = 0; i < resources.size(); i++) {
            if (i > 0) {
                w.ascii(",");
            }
            w.quoted(resources.get(i));
        }
        w.ascii("],\"detail\":");
        starts[k] = w.length;
        w.raw(detail);
        w.ascii("}");
        return new Encoded(w.out, w.length, starts);
    }

    /** Appends UTF-8 to a byte array sized up front (grown only if the estimate was short). */
    private static final class Utf8Writer {
        private byte[] out;
        private int length;

        Utf8Writer(int size) {
            out = new byte[size];
        }

        private void room(int n) {
            if (length + n > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, length + n));
            }
        }

        /** Text known to be ASCII with nothing to escape. */
        void ascii(String s) {
            int n = s.length();
            room(n);
            copyAscii(s, n);
        }

        /**
         * Copies ASCII chars as bytes in bulk. {@code String.getBytes(int, int, byte[], int)} is deprecated because
         * it drops each char's high byte, which is exactly right for chars already checked to be ASCII.
         */
        @SuppressWarnings("deprecation")
        private void copyAscii(String s, int n) {
            s.getBytes(0, n, out, length);
            length += n;
        }

        void raw(byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, out, length, bytes.length);
            length += bytes.length;
        }

        /** A JSON string known to be ASCII with nothing to escape. */
        void quotedPlain(String s) {
            int n = s.length();
            room(n + 2);
            out[length++] = '"';
            copyAscii(s, n);
            out[length++] = '"';
        }

        /** A JSON string: ASCII without escapes is copied char by char; anything else goes through the escaper. */
        void quoted(String s) {
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
                    StringBuilder sb = new StringBuilder(n + 8);
                    quote(sb, s);
                    raw(sb.toString().getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            room(n + 2);
            out[length++] = '"';
            copyAscii(s, n);
            out[length++] = '"';
        }
    }

    /**
     * Whether {@code detail} is one well-formed JSON object, nested at most 1,000 levels, whose integers fit in 64
     * bits (spec 1.2); anything else is {@code MalformedDetail}.
     */
    static boolean isValidDetail(String detail) {
        return DetailValidator.isValid(detail);
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        int plain = 0;
        while (plain < n) {
            char c = s.charAt(plain);
            if (c < 0x20 || c == '"' || c == '\\') {
                break;
            }
            plain++;
        }
        // Most values need no escaping: one bulk copy instead of one append per char.
        if (plain == n) {
            sb.append(s).append('"');
            return;
        }
        sb.append(s, 0, plain);
        for (int i = plain; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
