package io.busbar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The test-pattern and match commands, their output and exit codes, and bad arguments. */
class BusbarCommandTest {
    static final String EVENT = "{\"source\":\"shop\",\"detail-type\":\"Order\",\"detail\":{\"total\":150}}";
    static final String PATTERN = "{\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}";

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = BusbarCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void testPatternPrintsTrueOrFalseWithExitCodes() {
        Result yes = run("test-pattern", "--pattern", PATTERN, "--event", EVENT);
        assertEquals(0, yes.exit());
        assertEquals("true\n", yes.out());
        Result no = run("test-pattern", "--pattern", "{\"source\":[\"other\"]}", "--event", EVENT);
        assertEquals(1, no.exit());
        assertEquals("false\n", no.out());
        // the matcher stops reading once it has what the pattern needs; a malformed event is still refused
        Result cut = run("test-pattern", "--pattern", "{\"a\":[1]}", "--event", "{\"a\":1");
        assertEquals(2, cut.exit());
        assertTrue(cut.err().startsWith("--event: not valid JSON (Unexpected end-of-input"), cut.err());
        assertFalse(cut.err().contains("REDACTED"), cut.err());
        Result trailing = run("test-pattern", "--pattern", "{\"a\":[1]}", "--event", "{\"a\":1} x");
        assertEquals(2, trailing.exit());
        Result array = run("test-pattern", "--pattern", "{\"a\":[1]}", "--event", "[1]");
        assertEquals("--event: the event is not a JSON object\n", array.err());
    }

    @Test
    void patternAndEventFromFiles() throws IOException {
        Path p = file("p.json", PATTERN);
        Path e = file("e.json", EVENT);
        Result r = run("test-pattern", "--pattern", "@" + p, "--event", "@" + e);
        assertEquals(0, r.exit());
        Result missing = run("test-pattern", "--pattern", "@" + dir.resolve("nope.json"), "--event", EVENT);
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("--pattern: cannot read "), missing.err());
    }

    @Test
    void anInvalidPatternPrintsEventBridgesMessageAndExits2() {
        Result r = run("test-pattern", "--pattern", "{\"source\":\"shop\"}", "--event", EVENT);
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("Event pattern is not valid. Reason: \"source\" must be an object or an array"),
                r.err());
    }

    @Test
    void anInvalidEventExits2() {
        Result r = run("test-pattern", "--pattern", PATTERN, "--event", "[1, 2");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("--event: not valid JSON (Unexpected end-of-input"), r.err());
    }

    @Test
    void explainSaysWhy() {
        Result r = run("test-pattern", "--pattern", "{\"source\":[\"shop\"],\"detail\":{\"total\":[{\"numeric\":"
                + "[\"<\",100]}]}}", "--event", EVENT, "--explain");
        assertEquals(1, r.exit());
        assertTrue(r.out().startsWith("does not match"), r.out());
        assertTrue(r.out().contains("detail.total"), r.out());
        Result ok = run("test-pattern", "--pattern", PATTERN, "--event", EVENT, "--explain");
        assertEquals(0, ok.exit());
        assertEquals("matches\n", ok.out());
    }

    @Test
    void eventsFilePrintsOneResultPerLine() throws IOException {
        Path events = file("events.jsonl", EVENT + "\n\n{\"detail\":{\"total\":5}}\n" + EVENT + "\n");
        Result r = run("test-pattern", "--pattern", PATTERN, "--events", events.toString());
        assertEquals(0, r.exit());
        assertEquals("true\nfalse\ntrue\n", r.out());
        Path none = file("none.jsonl", "{\"detail\":{\"total\":5}}\n");
        assertEquals(1, run("test-pattern", "--pattern", PATTERN, "--events", none.toString()).exit());
        Path bad = file("bad.jsonl", EVENT + "\nnot json\n");
        Result b = run("test-pattern", "--pattern", PATTERN, "--events", bad.toString());
        assertEquals(2, b.exit());
        assertTrue(b.err().startsWith("--events line 2: "), b.err());
    }

    @Test
    void casesReportTheFailingOnes() throws IOException {
        Path cases = file("cases.jsonl", """
                {"name": "big", "pattern": {"detail": {"total": [{"numeric": [">", 100]}]}}, "event": {"detail": {"total": 150}}, "matches": true}
                {"name": "wrong", "pattern": {"source": ["a"]}, "event": {"source": "a"}, "matches": false}
                {"name": "raw", "pattern": "{\\"source\\": [\\"a\\"]}", "event": "{\\"source\\": \\"b\\"}", "matches": false}
                {"name": "invalid", "pattern": {"source": "a"}, "event": {"source": "a"}, "matches": true}
                """);
        Result r = run("test-pattern", "--cases", cases.toString());
        assertEquals(1, r.exit());
        assertEquals("""
                FAIL wrong (line 2): expected no match, got a match
                FAIL invalid (line 4): invalid pattern: Event pattern is not valid. Reason: "source" must be an object \
                or an array
                 at [Source: (String)"{"source":"a"}"; line: 1, column: 12]
                2 passed, 2 failed
                """, r.out());
        Path good = file("good.jsonl", "{\"name\":\"x\",\"pattern\":{\"a\":[1]},\"event\":{\"a\":1},\"matches\":true}\n");
        Result ok = run("test-pattern", "--cases", good.toString());
        assertEquals(0, ok.exit());
        assertEquals("1 passed, 0 failed\n", ok.out());
    }

    @Test
    void theSharedConformanceCasesPass() {
        String shared = System.getProperty("busbar.shared.dir");
        Path conformance = shared == null ? null : Path.of(shared, "spec", "conformance.jsonl");
        Assumptions.assumeTrue(conformance != null && Files.exists(conformance), "shared/spec is not beside the checkout");
        Result r = run("test-pattern", "--cases", conformance.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().endsWith(" passed, 0 failed\n"), r.out());
    }

    @Test
    void badArgumentsNameTheOptionAndExit2() {
        Result noPattern = run("test-pattern", "--event", EVENT);
        assertEquals(2, noPattern.exit());
        assertTrue(noPattern.err().contains("--pattern"), noPattern.err());
        Result two = run("test-pattern", "--pattern", PATTERN, "--event", EVENT, "--events", "x.jsonl");
        assertEquals(2, two.exit());
        assertTrue(two.err().contains("--event, --events or --cases"), two.err());
        Result unknown = run("test-pattern", "--patern", PATTERN);
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("--patern"), unknown.err());
        Result none = run();
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("Missing command"), none.err());
        Result port = run("serve", "--port", "eighty");
        assertEquals(2, port.exit());
        assertTrue(port.err().contains("--port"), port.err());
        Result account = run("serve", "--account", "42");
        assertEquals(2, account.exit());
        assertTrue(account.err().contains("--account: 42 (expected: 12 digits)"), account.err());
    }

    @Test
    void matchPrintsTheRulesOfEachEvent() throws IOException {
        Path rules = file("rules.json", """
                {"big": {"detail": {"total": [{"numeric": [">", 100]}]}},
                 "shop": {"source": ["shop"]},
                 "other": "{\\"source\\": [\\"other\\"]}"}
                """);
        Path events = file("events.jsonl", EVENT + "\n{\"source\":\"shop\",\"detail\":{\"total\":1}}\n{\"source\":\"x\"}\n");
        Result r = run("match", "--rules", rules.toString(), "--events", events.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("[\"big\",\"shop\"]\n[\"shop\"]\n[]\n", r.out());
        Path lines = file("rules.jsonl", "{\"name\":\"shop\",\"pattern\":{\"source\":[\"shop\"]}}\n"
                + "{\"name\":\"big\",\"pattern\":{\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}}\n");
        r = run("match", "--rules", lines.toString(), "--events", events.toString());
        assertEquals("[\"shop\",\"big\"]\n[\"shop\"]\n[]\n", r.out());
        // JSON lines whose first line is not a rule: the line is named, not read as a name-to-pattern map
        Path odd = file("odd.jsonl", "{\"name\":\"shop\"}\n{\"name\":\"big\",\"pattern\":{\"source\":[\"x\"]}}\n");
        r = run("match", "--rules", odd.toString(), "--events", events.toString());
        assertEquals(2, r.exit());
        assertEquals("--rules line 1: expected {\"name\": \"...\", \"pattern\": {...}}\n", r.err());
        Path twice = file("twice.json", "{\"a\": {\"source\": [\"x\"]},\n \"a\": {\"source\": [\"y\"]}}");
        r = run("match", "--rules", twice.toString(), "--events", events.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("--rules: Duplicate field 'a' (a rule declared twice), line 2"), r.err());
        Path cut = file("cut.jsonl", "{\"source\":\"shop\"}\n{\"source\":\"shop\",\"x\":\n");
        r = run("match", "--rules", lines.toString(), "--events", cut.toString());
        assertEquals(2, r.exit());
        assertEquals("[\"shop\"]\n", r.out());
        assertTrue(r.err().startsWith("--events line 2: not valid JSON ("), r.err());
    }

    @Test
    void matchRefusesAnInvalidRule() throws IOException {
        Path rules = file("rules.json", "{\"bad\": {\"source\": \"shop\"}}");
        Path events = file("events.jsonl", EVENT + "\n");
        Result r = run("match", "--rules", rules.toString(), "--events", events.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("--rules: rule bad: Event pattern is not valid."), r.err());
        assertEquals(2, run("match", "--events", events.toString()).exit());
    }
}
