package io.busbar.targets.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLineTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "{\"a\":1}                          | {\"a\":1}",
        "'  {\"n\": 1.50e2, \"b\": [1]}  '  | {\"n\": 1.50e2, \"b\": [1]}",
        "\"text\"                           | \"text\"",
        "42                                 | 42",
        "null                               | null",
        "plain words                        | \"plain words\"",
        "{\"a\":1} {\"b\":2}                | \"{\\\"a\\\":1} {\\\"b\\\":2}\"",
        "{\"a\":                            | \"{\\\"a\\\":\"",
        "''                                 | \"\"",
    })
    void makesOneLineOfJson(String payload, String expected) {
        assertEquals(expected, JsonLine.of(payload == null ? "" : payload));
    }

    @org.junit.jupiter.api.Test
    void lineBreaksBecomeSpacesInJsonAndEscapesInText() {
        assertEquals("{    \"a\": 1 }", JsonLine.of("{\r\n  \"a\": 1\n}"));
        assertEquals("\"line 1\\nline 2\\ttab \\\"q\\\"\"", JsonLine.of("line 1\nline 2\ttab \"q\""));
        assertEquals("\"{\\\"a\\\":\\\"x\\ny\\\"}\"", JsonLine.of("{\"a\":\"x\ny\"}"),
                "a raw line break inside a string is not JSON, so the payload is text");
    }
}
