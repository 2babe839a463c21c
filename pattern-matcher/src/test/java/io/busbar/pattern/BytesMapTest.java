package io.busbar.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BytesMapTest {

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every key present is found with its value and every absent one is not, through a slice of a larger array. */
    private static void assertSameAs(Map<String, Integer> expected, BytesMap<Integer> map, SplittableRandom random) {
        assertEquals(expected.size(), map.size());
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            byte[] padded = key("<<" + e.getKey() + ">>");
            assertEquals(e.getValue(), map.get(padded, 2, padded.length - 4), e.getKey());
        }
        for (int i = 0; i < 50_000; i++) {
            String absent = "absent-" + random.nextInt(1_000_000);
            assertNull(map.get(key(absent)), absent);
        }
    }

    @Test
    void smallAndFilteredTablesFindExactlyTheirKeys() {
        SplittableRandom random = new SplittableRandom(7);
        // 3 keys: no filter; 20,000 keys: a table of 65,536 slots, filtered.
        for (int n : new int[] {3, 20_000}) {
            Map<String, Integer> expected = new HashMap<>();
            List<byte[]> keys = new ArrayList<>();
            List<Integer> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String k = "key-" + random.nextInt(10_000_000);
                expected.put(k, i);
                keys.add(key(k));
                values.add(i);
            }
            BytesMap<Integer> map = BytesMap.of(keys, values);
            assertSameAs(expected, map, random);

            // Growing past the filter threshold and updating in place keep the filter in step with the keys.
            BytesMap<Integer> grown = map.copyForUpdate(30_000);
            Map<String, Integer> grownExpected = new HashMap<>(expected);
            for (int i = 0; i < 30_000; i++) {
                String k = "more-" + i;
                grown.putInPlace(key(k), -i);
                grownExpected.put(k, -i);
            }
            assertSameAs(grownExpected, grown, random);
            assertSameAs(expected, map, random); // the original is untouched

            BytesMap<Integer> same = grown.copyForUpdate(0);
            same.putInPlace(key("more-1"), 42);
            grownExpected.put("more-1", 42);
            assertSameAs(grownExpected, same, random);
        }
    }

    @Test
    void emptyKeyAndEmptyMap() {
        assertNull(BytesMap.<Integer>empty().get(key("x")));
        BytesMap<Integer> map = BytesMap.of(List.of(key(""), key("a")), List.of(1, 2));
        assertEquals(1, map.get(key("")));
        assertEquals(2, map.get(key("a")));
        assertNull(map.get(key("b")));
    }

    /**
     * The hash reads eight bytes at a time, and the last eight again for a tail, from a slice at any offset: keys of
     * every length up to 40 that differ from each other in one byte only, at any position (the bytes read twice
     * included), are each found through a slice, and a key that differs from all of them is not.
     */
    @Test
    void keysDifferingInOneByteAtAnyPositionStayApart() {
        List<byte[]> keys = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        Map<String, Integer> expected = new HashMap<>();
        for (int len = 1; len <= 40; len++) {
            for (int at = 0; at < len; at++) {
                for (byte b : new byte[] {'a', 'b', (byte) 0x80, 0}) {
                    byte[] k = new byte[len];
                    java.util.Arrays.fill(k, (byte) 'x');
                    k[at] = b;
                    String name = new String(k, StandardCharsets.ISO_8859_1);
                    if (expected.putIfAbsent(name, keys.size()) == null) {
                        values.add(keys.size());
                        keys.add(k);
                    }
                }
            }
        }
        BytesMap<Integer> map = BytesMap.of(keys, values);
        assertEquals(keys.size(), map.size());
        for (int i = 0; i < keys.size(); i++) {
            byte[] padded = new byte[keys.get(i).length + 5];
            System.arraycopy(keys.get(i), 0, padded, 3, keys.get(i).length);
            assertEquals(i, map.get(padded, 3, keys.get(i).length), () -> "key of length " + padded.length);
        }
        for (int len = 1; len <= 40; len++) {
            byte[] allX = new byte[len];
            java.util.Arrays.fill(allX, (byte) 'x');
            assertNull(map.get(allX), "all-x key of length " + len);
        }
    }
}
