package io.busbar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shaded jar as {@code bin/busbar} runs it: a separate JVM, SIGTERM included. */
@Timeout(60)
class BusbarJarIT {
    private static final Path JAR = Path.of("target", "busbar.jar");

    private static Process start(String... args) throws Exception {
        assertTrue(Files.exists(JAR), JAR + " is built by the package phase");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void testPatternRunsFromTheJar() throws Exception {
        Process p = start("test-pattern", "--pattern", "{\"source\":[\"a\"]}", "--event", "{\"source\":\"a\"}");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("true\n", out);
    }

    @Test
    // A blocked read ignores interrupts: a separate thread makes a banner that never comes fail, not hang the build.
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void serveStopsOnSigterm() throws Exception {
        Process p = start("serve", "--port", "0");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            // Libraries may log before the banner; the banner is the first line of Busbar's own.
            Pattern banner = Pattern.compile("Busbar listening on (http://127\\.0\\.0\\.1:\\d+) \\(in memory[^)]*\\)");
            StringBuilder seen = new StringBuilder();
            Matcher m = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                seen.append(line).append('\n');
                Matcher candidate = banner.matcher(line);
                if (candidate.matches()) {
                    m = candidate;
                    break;
                }
            }
            assertTrue(m != null, seen.toString());
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(m.group(1) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
        } finally {
            p.destroyForcibly();
        }
    }
}
