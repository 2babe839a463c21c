package io.busbar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ApiDestinationHttpMethod;
import software.amazon.awssdk.services.eventbridge.model.ConnectionAuthorizationType;
import software.amazon.awssdk.services.eventbridge.model.DescribeApiDestinationResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeConnectionResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * Durability under {@code kill -9}: the shaded jar runs {@code busbar serve --data-dir DIR --durability fsync} as a
 * separate process while {@value #LOAD_THREADS} threads put events through the AWS SDK; the server is killed with
 * SIGKILL {@value #KILLS} times at random moments under load and restarted on the same directory. In the end every
 * event whose PutEvents answer carried its {@code EventId} (and no {@code ErrorCode}) must have reached the API
 * destination at least once. Duplicates are allowed (at-least-once) and reported.
 *
 * <p>It also proves that the control plane comes back: the connection, API destination, rule and target are created
 * once, on the first start, and checked after every restart (the connection's API key included: the receiver
 * counts deliveries without it).
 *
 * <p>Run it alone: {@code mvn -B -o -pl cli -am verify -Dit.test=CrashRecoveryIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.failIfNoSpecifiedTests=false}. System properties:
 * {@code busbar.crashit.seed} (default {@value #DEFAULT_SEED}; the kill delays derive from it and are logged) and
 * {@code busbar.crashit.durability} (default {@code fsync}; {@code batch} must pass too, since a process crash loses
 * nothing there; {@code memory}, which writes nothing, must fail: the negative control). On failure the server's log
 * is printed and it and the data directory are kept (their directory is printed).
 *
 * <p>The load is paused while the server is down (a restart on two cores is slow enough without eight threads
 * spinning on a refused port); every acknowledgement is tagged with its phase (the number of kills before it), so a
 * failure says whether the lost events were acknowledged before a kill or after the last restart.
 *
 * <p>The receiver is a counter, not {@code io.busbar.testing.LocalServer}: that one keeps every request in a
 * copy-on-write list, quadratic at the thousands of deliveries this test makes.
 */
class CrashRecoveryIT {
    private static final Path JAR = Path.of("target", "busbar.jar");
    private static final long DEFAULT_SEED = 20_261_126L;
    private static final int KILLS = 3;
    private static final int LOAD_THREADS = 8;
    private static final int ENTRIES_PER_REQUEST = 10;
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final int SIGKILL_EXIT_STATUS = 128 + 9;

    private static final String SOURCE = "crashit.load";
    private static final String CONNECTION = "crashit-connection";
    private static final String DESTINATION = "crashit-receiver";
    private static final String RULE = "crashit-load-to-receiver";
    private static final String TARGET_ID = "receiver";
    private static final String PATTERN = "{\"source\":[\"" + SOURCE + "\"]}";
    private static final String API_KEY_NAME = "x-crashit-key";
    private static final String API_KEY_VALUE = "k-" + Long.toHexString(DEFAULT_SEED);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** picocli's answer to an option it does not know: "Unknown option: '--x'" or "Unknown options: '--x', ...". */
    private static final java.util.regex.Pattern UNKNOWN_DURABILITY_OPTION =
            java.util.regex.Pattern.compile("Unknown options?: .*'--(data-dir|durability)'");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    /** The server process now running (or last run); killed by {@link #killLeftovers()} whatever happens. */
    private volatile Process server;
    private Path log;
    private Path dataDir;
    private int port;
    private int starts;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        Process p = server;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyAcknowledgedEventIsDeliveredAfterRepeatedKillMinus9() throws Throwable {
        long began = System.nanoTime();
        long seed = Long.getLong("busbar.crashit.seed", DEFAULT_SEED);
        String durability = System.getProperty("busbar.crashit.durability", "fsync");
        Random random = new Random(seed);
        long[] phaseMillis = new long[KILLS + 1];
        for (int i = 0; i < phaseMillis.length; i++) {
            phaseMillis[i] = 500 + random.nextInt(1501);
        }
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is missing: the package phase builds it");
        log = work.resolve("server.log");
        dataDir = work.resolve("data");
        port = freePort();
        System.out.printf("CrashRecoveryIT: seed %d, durability %s, load phases (ms) %s, port %d, data dir %s%n",
                seed, durability, Arrays.toString(phaseMillis), port, dataDir);
        // Also a shutdown hook, for a test JVM that is stopped before @AfterEach runs.
        Thread reaper = new Thread(() -> {
            Process p = server;
            if (p != null) {
                p.destroyForcibly();
            }
        }, "crashit-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try (Receiver receiver = new Receiver(); UrlConnectionHttpClient http = httpClient();
             EventBridgeClient eb = client(http)) {
            startServer(durability);
            ControlPlane controlPlane = createControlPlane(eb, receiver);
            Load load = new Load(eb);
            try {
                for (int kill = 1; kill <= KILLS; kill++) {
                    loadFor(load, phaseMillis[kill - 1], "kill " + kill);
                    kill(kill, load, receiver);
                    load.paused = true; // while the server is down: it would only burn the CPU the start needs
                    startServer(durability);
                    assertControlPlaneRecovered(eb, kill, controlPlane, receiver);
                    load.phase = kill;
                    load.paused = false;
                }
                loadFor(load, phaseMillis[KILLS], "the end of the load");
                load.stop();
            } finally {
                load.halt(); // before the client closes under it, when the test failed
            }
            checkDelivery(load, receiver, seed, durability, began);
        } catch (Throwable t) {
            printLog();
            System.out.println("CrashRecoveryIT: server log and data directory kept under " + work);
            throw t;
        } finally {
            killLeftovers();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** Lets the load run, then checks that it got events acknowledged, or the next kill would prove nothing. */
    private static void loadFor(Load load, long millis, String until) throws InterruptedException {
        int before = load.acknowledged.size();
        Thread.sleep(millis);
        assertTrue(load.acknowledged.size() > before, () -> String.format("no event was acknowledged in the %d ms "
                        + "of load before %s (%d of %d requests failed, entries refused: %s, last error: %s)", millis,
                until, load.failedRequests.sum(), load.requests.sum(), load.refusedEntries, load.lastError));
    }

    /** Waits for every acknowledged event at the receiver, reports, and fails on a missing one. */
    private void checkDelivery(Load load, Receiver receiver, long seed, String durability, long began)
            throws InterruptedException {
        Map<String, Integer> acknowledged = Map.copyOf(load.acknowledged);
        long drainBegan = System.nanoTime();
        List<String> missing = awaitDelivery(acknowledged.keySet(), receiver);
        long drainMillis = (System.nanoTime() - drainBegan) / 1_000_000;
        long twiceOrMore = acknowledged.keySet().stream().filter(id -> receiver.count(id) >= 2).count();
        long unacknowledged = receiver.deliveries.keySet().stream().filter(id -> !acknowledged.containsKey(id))
                .count();
        System.out.printf("CrashRecoveryIT report: acknowledged %d (by phase %s), delivered %d, missing %d, "
                        + "delivered twice or more %d, delivered but never acknowledged %d, POSTs received %d, "
                        + "kills %d, requests %d (failed %d, entries refused %s), drain %d ms, total %d ms, "
                        + "seed %d, durability %s%n",
                acknowledged.size(), byPhase(acknowledged.keySet(), acknowledged),
                acknowledged.size() - missing.size(), missing.size(), twiceOrMore, unacknowledged,
                receiver.posts.sum(), KILLS, load.requests.sum(), load.failedRequests.sum(), load.refusedEntries,
                drainMillis, (System.nanoTime() - began) / 1_000_000, seed, durability);

        assertTrue(missing.isEmpty(), () -> String.format("%d of %d acknowledged events never reached the receiver "
                        + "within %d s after the load stopped (%d kills, seed %d, durability %s); missing by the phase "
                        + "they were acknowledged in (0: before kill 1, %d: after the last restart): %s of %s; e.g. %s",
                missing.size(), acknowledged.size(), DRAIN_TIMEOUT.toSeconds(), KILLS, seed, durability, KILLS,
                byPhase(missing, acknowledged), byPhase(acknowledged.keySet(), acknowledged),
                missing.subList(0, Math.min(5, missing.size()))));
        assertEquals(0, receiver.withoutKey.sum(), () -> receiver.withoutKey.sum() + " deliveries arrived without "
                + "the connection's API key " + API_KEY_NAME + " (did the connection's secret survive the restarts?); "
                + "e.g. headers " + receiver.badKeyExample);
        assertEquals(0, receiver.unreadable.sum(), () -> receiver.unreadable.sum() + " deliveries were not an event "
                + "with an id; e.g. " + receiver.unreadableExample);
    }

    // ---- the server process ----

    private void startServer(String durability) throws IOException, InterruptedException {
        int start = ++starts;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-jar", JAR.toString(), "serve", "--port", String.valueOf(port),
                "--data-dir", dataDir.toString(), "--durability", durability);
        Files.writeString(log, String.format("===== start %d: %s%n", start, String.join(" ", cmd)),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long t0 = System.nanoTime();
        server = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitHealth(start);
        System.out.printf("CrashRecoveryIT: start %d (pid %d) answered /health after %d ms%n", start, server.pid(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private void awaitHealth(int start) throws IOException, InterruptedException {
        HttpClient health = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            Process p = server;
            if (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                try {
                    HttpResponse<String> r = health.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                    last = r.statusCode() + " " + r.body();
                } catch (IOException e) {
                    last = e.toString();
                }
                continue;
            }
            String output = outputOfStart(start);
            String hint = UNKNOWN_DURABILITY_OPTION.matcher(output).find()
                    ? " This busbar.jar does not know --data-dir/--durability: durability is not built in yet." : "";
            fail(String.format("busbar serve (start %d of %d) exited with status %d before /health answered.%s "
                    + "Its output (%s):%n%s", start, KILLS + 1, p.exitValue(), hint, log, output));
        }
        fail(String.format("busbar serve (start %d of %d) did not answer /health on port %d within %d s "
                + "(last: %s); log: %s", start, KILLS + 1, port, HEALTH_TIMEOUT.toSeconds(), last, log));
    }

    /** SIGKILL, then waits for the exit and checks that it was the signal that ended the process. */
    private void kill(int kill, Load load, Receiver receiver) throws InterruptedException {
        Process p = server;
        assertTrue(p.isAlive(), "the server died on its own before kill " + kill + " (status "
                + (p.isAlive() ? "" : p.exitValue()) + ")");
        p.destroyForcibly(); // SIGKILL on Linux for a ProcessBuilder child
        assertTrue(p.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                "the server did not exit within " + EXIT_TIMEOUT.toSeconds() + " s of SIGKILL " + kill);
        assertEquals(SIGKILL_EXIT_STATUS, p.exitValue(), "kill " + kill + ": the server ended otherwise than by "
                + "SIGKILL (expected status 137)");
        System.out.printf("CrashRecoveryIT: kill %d (pid %d, status %d) with %d events acknowledged and %d POSTs "
                + "received so far%n", kill, p.pid(), p.exitValue(), load.acknowledged.size(), receiver.posts.sum());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** What the server printed since start {@code start} began, its first and last 20 lines if longer. */
    private String outputOfStart(int start) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            int from = all.indexOf(all.stream().filter(l -> l.startsWith("===== start " + start + ":"))
                    .findFirst().orElse(all.get(0))) + 1;
            List<String> lines = all.subList(Math.min(from, all.size()), all.size());
            if (lines.size() > 40) {
                List<String> cut = new ArrayList<>(lines.subList(0, 20));
                cut.add("[... " + (lines.size() - 40) + " lines ...]");
                cut.addAll(lines.subList(lines.size() - 20, lines.size()));
                lines = cut;
            }
            return String.join(System.lineSeparator(), lines);
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void printLog() {
        if (log != null && Files.exists(log)) {
            System.out.println("---- busbar serve log " + log + " (last 300 lines) ----");
            System.out.println(tail(300));
            System.out.println("---- end of log ----");
        }
    }

    // ---- the control plane ----

    private record ControlPlane(String connectionArn, String destinationArn, String endpoint) {
    }

    private static UrlConnectionHttpClient httpClient() {
        return (UrlConnectionHttpClient) UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(10)).build();
    }

    /** No SDK retries: a request that fails during a kill just ends, and the load thread sends the next one. */
    private EventBridgeClient client(UrlConnectionHttpClient http) {
        return EventBridgeClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDCRASHIT", "crashit-secret")))
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(15)))
                .build();
    }

    private static ControlPlane createControlPlane(EventBridgeClient eb, Receiver receiver) {
        String connectionArn = eb.createConnection(r -> r.name(CONNECTION)
                .authorizationType(ConnectionAuthorizationType.API_KEY)
                .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName(API_KEY_NAME)
                        .apiKeyValue(API_KEY_VALUE)))).connectionArn();
        String endpoint = receiver.url("/events");
        // Well above what the load reaches, so the rate limit never holds deliveries back.
        String destinationArn = eb.createApiDestination(r -> r.name(DESTINATION).connectionArn(connectionArn)
                .invocationEndpoint(endpoint).httpMethod(ApiDestinationHttpMethod.POST)
                .invocationRateLimitPerSecond(100_000)).apiDestinationArn();
        eb.putRule(r -> r.name(RULE).eventPattern(PATTERN));
        PutTargetsResponse targets = eb.putTargets(r -> r.rule(RULE)
                .targets(Target.builder().id(TARGET_ID).arn(destinationArn).build()));
        assertEquals(0, targets.failedEntryCount(), "PutTargets: " + targets);
        return new ControlPlane(connectionArn, destinationArn, endpoint);
    }

    private static void assertControlPlaneRecovered(EventBridgeClient eb, int restart, ControlPlane expected,
                                                    Receiver receiver) {
        String context = "after restart " + restart + " (kill -9 " + restart + ") the control plane did not come "
                + "back from the data directory: ";
        DescribeConnectionResponse connection = call(context + "DescribeConnection " + CONNECTION,
                () -> eb.describeConnection(r -> r.name(CONNECTION)));
        assertEquals(expected.connectionArn(), connection.connectionArn(), context + "connection ARN");
        assertEquals(ConnectionAuthorizationType.API_KEY, connection.authorizationType(),
                context + "connection authorization type");
        assertEquals(API_KEY_NAME, connection.authParameters().apiKeyAuthParameters().apiKeyName(),
                context + "connection API key name");

        DescribeApiDestinationResponse destination = call(context + "DescribeApiDestination " + DESTINATION,
                () -> eb.describeApiDestination(r -> r.name(DESTINATION)));
        assertEquals(expected.destinationArn(), destination.apiDestinationArn(), context + "API destination ARN");
        assertEquals(expected.connectionArn(), destination.connectionArn(), context + "API destination's connection");
        assertEquals(expected.endpoint(), destination.invocationEndpoint(), context + "API destination endpoint "
                + "(the receiver is at " + receiver.url("/events") + ")");

        DescribeRuleResponse rule = call(context + "DescribeRule " + RULE, () -> eb.describeRule(r -> r.name(RULE)));
        assertEquals(RuleState.ENABLED, rule.state(), context + "rule state");
        assertEquals(readTree(PATTERN), readTree(rule.eventPattern()), context + "rule pattern");

        List<Target> targets = call(context + "ListTargetsByRule " + RULE,
                () -> eb.listTargetsByRule(r -> r.rule(RULE)).targets());
        assertEquals(1, targets.size(), context + "targets of " + RULE + ": " + targets);
        assertEquals(TARGET_ID, targets.get(0).id(), context + "target id");
        assertEquals(expected.destinationArn(), targets.get(0).arn(), context + "target ARN");
    }

    private static <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new AssertionError(what + " failed: " + e.getMessage(), e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    // ---- the load ----

    /**
     * {@value #LOAD_THREADS} threads putting {@value #ENTRIES_PER_REQUEST} events per request until stopped. An event
     * counts as acknowledged only when the answer gave its EventId without an ErrorCode; a failed request (the
     * server being killed) counts nothing and the thread pauses briefly before the next one.
     */
    private static final class Load {
        /** EventId to the phase it was acknowledged in (0 before the first kill). */
        final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        final LongAdder requests = new LongAdder();
        final LongAdder failedRequests = new LongAdder();
        final Map<String, LongAdder> refusedEntries = new ConcurrentHashMap<>();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean running = true;
        /** Set while the server is down between a kill and its restart. */
        volatile boolean paused;
        /** The number of kills so far, recorded with each acknowledgement. */
        volatile int phase;
        volatile String lastError = "none";

        Load(EventBridgeClient eb) {
            for (int i = 0; i < LOAD_THREADS; i++) {
                int thread = i;
                Thread t = new Thread(() -> run(eb, thread), "crashit-load-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void run(EventBridgeClient eb, int thread) {
            long seq = 0;
            while (running) {
                if (paused) {
                    pause();
                    continue;
                }
                List<PutEventsRequestEntry> entries = new ArrayList<>(ENTRIES_PER_REQUEST);
                for (int i = 0; i < ENTRIES_PER_REQUEST; i++) {
                    entries.add(PutEventsRequestEntry.builder().source(SOURCE).detailType("Crash Recovery Load")
                            .detail("{\"thread\":" + thread + ",\"seq\":" + seq++ + "}").build());
                }
                requests.increment();
                int phaseAtSend = phase;
                PutEventsResponse response;
                try {
                    response = eb.putEvents(r -> r.entries(entries));
                } catch (RuntimeException e) { // SdkException: the server is killed, down or starting
                    failedRequests.increment();
                    lastError = e.toString();
                    pause();
                    continue;
                }
                for (PutEventsResultEntry e : response.entries()) {
                    if (e.eventId() != null && e.errorCode() == null) {
                        acknowledged.put(e.eventId(), phaseAtSend);
                    } else {
                        refusedEntries.computeIfAbsent(String.valueOf(e.errorCode()), c -> new LongAdder())
                                .increment();
                    }
                }
            }
        }

        private static void pause() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops the threads without waiting for them (cleanup after a failure). */
        void halt() {
            running = false;
            for (Thread t : threads) {
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Stops the threads; a request in flight ends within the SDK's call timeout. */
        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(20_000);
                assertTrue(!t.isAlive(), t.getName() + " did not stop within 20 s: " + List.of(t.getStackTrace()));
            }
        }
    }

    /** Polls until every acknowledged id has arrived or the drain timeout passes; answers the ids still missing. */
    private List<String> awaitDelivery(Set<String> acknowledged, Receiver receiver) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> missing = new ArrayList<>(acknowledged);
        while (true) {
            missing.removeIf(id -> receiver.count(id) > 0);
            if (missing.isEmpty() || System.nanoTime() >= deadline) {
                return missing;
            }
            if (System.nanoTime() >= nextProgress) {
                System.out.printf("CrashRecoveryIT: %d of %d acknowledged events not delivered yet%n", missing.size(),
                        acknowledged.size());
                nextProgress += TimeUnit.SECONDS.toNanos(5);
            }
            Process p = server;
            if (!p.isAlive()) {
                fail("the server exited with status " + p.exitValue() + " while " + missing.size()
                        + " acknowledged events were still undelivered; log: " + log);
            }
            Thread.sleep(100);
        }
    }

    /** How many of {@code ids} were acknowledged in each phase (phase k: after restart k, 0: before kill 1). */
    private static Map<Integer, Integer> byPhase(java.util.Collection<String> ids, Map<String, Integer> acknowledged) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (String id : ids) {
            counts.merge(acknowledged.get(id), 1, Integer::sum);
        }
        return counts;
    }

    // ---- the receiver ----

    /** The API destination's endpoint: counts each event id POSTed to it and answers 200. */
    private static final class Receiver implements AutoCloseable {
        final ConcurrentHashMap<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        final LongAdder posts = new LongAdder();
        final LongAdder withoutKey = new LongAdder();
        final LongAdder unreadable = new LongAdder();
        volatile String badKeyExample;
        volatile String unreadableExample;
        private final HttpServer server;
        private final ExecutorService pool = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "crashit-receiver");
            t.setDaemon(true);
            return t;
        });

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            server.createContext("/", this::handle);
            server.setExecutor(pool);
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        int count(String id) {
            AtomicInteger n = deliveries.get(id);
            return n == null ? 0 : n.get();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                posts.increment();
                if (!API_KEY_VALUE.equals(exchange.getRequestHeaders().getFirst(API_KEY_NAME))) {
                    withoutKey.increment();
                    badKeyExample = exchange.getRequestHeaders().entrySet().toString();
                }
                String id = null;
                try {
                    JsonNode event = JSON.readTree(body);
                    id = event.path("id").textValue();
                } catch (IOException e) {
                    // counted below
                }
                if (id == null) {
                    unreadable.increment();
                    unreadableExample = new String(body, StandardCharsets.UTF_8);
                } else {
                    deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                }
                exchange.sendResponseHeaders(200, -1);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
