package io.busbar.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumberTextTest {

    private static double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return NumberText.parse(b, 0, b.length);
    }

    private static double approximate(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return NumberText.approximate(b, 0, b.length);
    }

    @Test
    void parseIsCorrectlyRoundedAndApproximateIsWithinTwoUlps() {
        SplittableRandom random = new SplittableRandom(11);
        int approximated = 0;
        for (int i = 0; i < 200_000; i++) {
            double d = switch (i % 3) {
                case 0 -> (random.nextDouble() - 0.5) * 400;                      // coordinates
                case 1 -> Math.scalb(random.nextDouble(), random.nextInt(-60, 60)); // any scale
                default -> random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L) / 1e6; // money-like
            };
            String text = random.nextBoolean() ? Double.toString(d) : new java.math.BigDecimal(d).toPlainString();
            double exact = Double.parseDouble(text);
            assertEquals(exact, parse(text), text);
            double approx = approximate(text);
            if (!Double.isNaN(approx)) {
                approximated++;
                assertTrue(Math.abs(approx - exact) <= 2 * Math.ulp(exact), text + " ~ " + approx);
            }
        }
        assertTrue(approximated > 50_000, "the quick path should cover most plain decimals: " + approximated);
    }

    @Test
    void approximateDeclinesWhatItCannotBound() {
        assertTrue(Double.isNaN(approximate("1e5")));
        assertTrue(Double.isNaN(approximate("12345678901234567890123")));
        assertTrue(Double.isNaN(approximate("0.00000000000000000000001")));
        assertEquals(-122.42916360922355, approximate("-122.42916360922355"), Math.ulp(122.4));
    }

    @Test
    void comparisonsNearABoundUseTheExactValue() {
        // 0.1 + 2^-56 rounds to the double 0.1 exactly: a quick value off by an ulp must not decide "= 0.1".
        RuleSet set = RuleSet.empty().with("eq", EventPattern.compile("{\"x\":[{\"numeric\":[\"=\",0.1]}]}"))
                .with("gt", EventPattern.compile("{\"x\":[{\"numeric\":[\">\",0.1]}]}"));
        assertEquals(java.util.List.of("eq"), set.match("{\"x\":0.1000000000000000013877787807814456755}"));
        assertEquals(java.util.List.of("eq"), set.match("{\"x\":0.10000000000000000555}"));
        assertEquals(java.util.List.of("gt"), set.match("{\"x\":0.10000000000000001942}"));
    }
}
