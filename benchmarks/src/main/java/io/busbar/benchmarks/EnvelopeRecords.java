package io.busbar.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Records for {@link StoreComparison}: EventBridge event envelopes (the JSON Busbar stores for each accepted event)
 * of about 700 bytes, each with a unique {@code id}.
 *
 * <p>{@link #TEMPLATES} envelopes are generated once from a fixed seed (order events with varied customers, items,
 * amounts and addresses, so the bytes compress as real events would, not as one repeated text); a record is a copy
 * of one of them with a fresh UUID-shaped id written over the template's, so making a record costs a 700-byte copy
 * and no formatting on the producer threads.
 */
final class EnvelopeRecords {
    static final int TEMPLATES = 4096;
    private static final long SEED = 0x5EED_B05BA5L;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000";
    private static final List<String> CITIES = List.of("Seattle", "Portland", "Denver", "Austin", "Chicago",
            "Boston", "Atlanta", "Phoenix", "Dublin", "Frankfurt", "Paris", "Tokyo", "Sydney", "Toronto");
    private static final List<String> TYPES = List.of("Order Placed", "Order Paid", "Order Shipped",
            "Order Delivered", "Order Cancelled", "Payment Refunded");

    private final byte[][] templates = new byte[TEMPLATES][];
    private final int[] idOffsets = new int[TEMPLATES];

    EnvelopeRecords() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < TEMPLATES; i++) {
            String text = envelope(random, i);
            templates[i] = text.getBytes(StandardCharsets.UTF_8);
            idOffsets[i] = text.indexOf(ID_PLACEHOLDER);
        }
    }

    /** Average template size in bytes. */
    double averageSize() {
        long sum = 0;
        for (byte[] t : templates) {
            sum += t.length;
        }
        return (double) sum / TEMPLATES;
    }

    /** A record with id {@code high}/{@code low} (unique as long as the pair is) on template {@code sequence}. */
    byte[] record(long high, long low, long sequence) {
        int t = (int) Math.floorMod(sequence, (long) TEMPLATES);
        byte[] r = templates[t].clone();
        int at = idOffsets[t];
        // 8-4-4-4-12 hex digits: high fills the first 16, low the last 16.
        at = hex(r, at, high >>> 32, 8) + 1;
        at = hex(r, at, high >>> 16, 4) + 1;
        at = hex(r, at, high, 4) + 1;
        at = hex(r, at, low >>> 48, 4) + 1;
        hex(r, at, low, 12);
        return r;
    }

    private static int hex(byte[] into, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            into[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return at + digits;
    }

    private static String envelope(SplittableRandom r, int i) {
        String account = String.format(Locale.ROOT, "%012d", 100_000_000_000L + r.nextInt(50));
        String order = String.format(Locale.ROOT, "ord-%08x", r.nextInt());
        StringBuilder items = new StringBuilder();
        int itemCount = 1 + r.nextInt(3);
        long total = 0;
        for (int k = 0; k < itemCount; k++) {
            int cents = 199 + r.nextInt(20_000);
            int quantity = 1 + r.nextInt(5);
            total += (long) cents * quantity;
            items.append(k == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(10_000 + r.nextInt(90_000))
                    .append("\",\"quantity\":").append(quantity).append(",\"unitPrice\":").append(cents / 100)
                    .append('.').append(two(cents % 100)).append('}');
        }
        String city = CITIES.get(r.nextInt(CITIES.size()));
        return "{\"version\":\"0\",\"id\":\"" + ID_PLACEHOLDER + "\",\"detail-type\":\""
                + TYPES.get(r.nextInt(TYPES.size())) + "\",\"source\":\"com.example.orders\",\"account\":\"" + account
                + "\",\"time\":\"2026-11-26T" + two(r.nextInt(24)) + ":" + two(r.nextInt(60)) + ":"
                + two(r.nextInt(60)) + "Z\",\"region\":\"us-east-1\",\"resources\":[\"arn:aws:orders:us-east-1:"
                + account + ":order/" + order + "\"],\"detail\":{\"orderId\":\"" + order + "\",\"customer\":{\"id\":\""
                + String.format(Locale.ROOT, "cust-%06d", r.nextInt(1_000_000)) + "\",\"tier\":\""
                + (r.nextInt(4) == 0 ? "gold" : "standard") + "\",\"email\":\"user" + r.nextInt(1_000_000)
                + "@example.com\"},\"items\":[" + items + "],\"total\":" + total / 100 + "." + two((int) (total % 100))
                + ",\"currency\":\"USD\",\"shipping\":{\"method\":\"" + (r.nextBoolean() ? "express" : "ground")
                + "\",\"address\":{\"street\":\"" + (1 + r.nextInt(9999)) + " Main St\",\"city\":\"" + city
                + "\",\"postalCode\":\"" + (10_000 + r.nextInt(89_999)) + "\",\"country\":\"US\"}},\"channel\":\""
                + (r.nextBoolean() ? "web" : "mobile") + "\",\"correlationId\":\"" + Long.toHexString(r.nextLong())
                + "\",\"sequence\":" + i + "}}";
    }

    private static String two(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
