package io.busbar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code busbar serve}: the line it prints, a config file, and a clean stop. */
@Timeout(30)
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("Busbar listening on (http://127\\.0\\.0\\.1:(\\d+)) \\((in memory[^)]*|data in [^)]*)\\)\n");

    @TempDir
    Path dir;

    @Test
    void servesUntilStoppedWithItsConfiguration() throws Exception {
        Path config = Files.writeString(dir.resolve("busbar.yaml"), """
                eventBuses: [{name: orders}]
                rules:
                  - {name: r, eventBusName: orders, eventPattern: {source: [a]}}
                """);
        CommandLine cl = BusbarCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("serve", "--port", "0",
                "--config", config.toString(), "--region", "eu-west-1", "--property",
                "busbar.sqs.endpoint=http://127.0.0.1:9"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!LISTENING.matcher(out.toString()).matches() && System.nanoTime() < deadline && !exit.isDone()) {
            Thread.sleep(20);
        }
        Matcher m = LISTENING.matcher(out.toString());
        assertTrue(m.matches(), out.toString());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1)))
                .header("X-Amz-Target", "AWSEvents.ListRules")
                .POST(HttpRequest.BodyPublishers.ofString("{\"EventBusName\":\"orders\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("arn:aws:events:eu-west-1:123456789012:rule/orders/r"), r.body());
        ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
        serve.stop();
        assertEquals(0, exit.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aBadConfigFileStopsTheStartWithItsLine() throws IOException {
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                rules:
                  - name: ok
                    eventPattern: {source: [a]}
                  - name: bad
                    eventPattern: '{"source": "a"}'
                """);
        BusbarCommandTest.Result r = BusbarCommandTest.run("serve", "--port", "0", "--config", config.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("busbar: config.yaml:5: rules[1].eventPattern: Event pattern is not valid. "
                + "Reason: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aBadAuthFileIsABadArgument() throws IOException {
        Path auth = Files.writeString(dir.resolve("auth.yaml"), "");
        BusbarCommandTest.Result r = BusbarCommandTest.run("serve", "--port", "0", "--auth", auth.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--auth: "), r.err());
    }

    @Test
    void withADataDirectoryTheStartLineSaysWhereAndTheRulesComeBack() throws Exception {
        Path data = dir.resolve("data");
        for (int start = 1; start <= 2; start++) {
            CommandLine cl = BusbarCommand.commandLine();
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(new StringWriter(), true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("serve", "--port", "0",
                    "--data-dir", data.toString(), "--durability", "batch", "--sync-interval", "20"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!LISTENING.matcher(out.toString()).matches() && System.nanoTime() < deadline && !exit.isDone()) {
                Thread.sleep(20);
            }
            Matcher m = LISTENING.matcher(out.toString());
            assertTrue(m.matches(), out.toString());
            assertTrue(out.toString().contains("(data in " + data + ", durability batch)"), out.toString());
            HttpClient http = HttpClient.newHttpClient();
            if (start == 1) {
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(m.group(1)))
                        .header("X-Amz-Target", "AWSEvents.PutRule")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"Name\":\"kept\",\"EventPattern\":"
                                + "\"{\\\"source\\\":[\\\"a\\\"]}\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, put.statusCode(), put.body());
            } else {
                HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(m.group(1)))
                        .header("X-Amz-Target", "AWSEvents.ListRules")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(list.body().contains("rule/kept"), list.body());
            }
            ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
            serve.stop();
            assertEquals(0, exit.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void badDurabilityOptionsAreBadArguments() {
        BusbarCommandTest.Result r = BusbarCommandTest.run("serve", "--port", "0", "--durability", "always");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--durability: always (expected: fsync, batch or memory)"), r.err());
        r = BusbarCommandTest.run("serve", "--port", "0", "--sync-interval", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--sync-interval: 0"), r.err());
        r = BusbarCommandTest.run("serve", "--port", "0", "--data-dir-limit", "lots");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--data-dir-limit: lots (expected: a positive size such as 512M or 10G)"), r.err());
        for (String bad : new String[] {"busbar.sqs.endpoint", "=x", "busbar.sqs.endpoint="}) {
            r = BusbarCommandTest.run("serve", "--port", "0", "--property", bad);
            assertEquals(2, r.exit(), bad);
            assertTrue(r.err().contains("--property: " + bad + " (expected: NAME=VALUE"), r.err());
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedStopsTheStart() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        BusbarCommandTest.Result r = BusbarCommandTest.run("serve", "--port", "0", "--data-dir",
                file.resolve("sub").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("busbar: "), r.err());
        assertTrue(r.err().contains("not-a-dir"), r.err());
    }
}
