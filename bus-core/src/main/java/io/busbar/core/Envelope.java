package io.busbar.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

    static String json(String id, String detailType, String source, String account, Instant time, String region,
                       String replayName, List<String> resources, String detail) {
        // Sized for the whole envelope up front: growing the builder (a copy each time) was a fifth of PutEvents.
        int size = 192 + id.length() + detailType.length() + source.length() + account.length() + region.length()
                + detail.length() + (replayName == null ? 0 : 32 + replayName.length());
        for (String r : resources) {
            size += r.length() + 3;
        }
        StringBuilder sb = new StringBuilder(size + (size >> 3));
        sb.append("{\"version\":\"0\",\"id\":");
        quote(sb, id);
        sb.append(",\"detail-type\":");
        quote(sb, detailType);
        sb.append(",\"source\":");
        quote(sb, source);
        sb.append(",\"account\":");
        quote(sb, account);
        sb.append(",\"time\":\"").append(time(time)).append("\",\"region\":");
        quote(sb, region);
        if (replayName != null) {
            sb.append(",\"replay-name\":");
            quote(sb, replayName);
        }
        sb.append(",\"resources\":[");
        for (int i = 0; i < resources.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            quote(sb, resources.get(i));
        }
        sb.append("],\"detail\":").append(detail).append('}');
        return sb.toString();
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
