package io.busbar.targets.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) in a child JVM, for integration tests.
 *
 * <p>The broker's class path (kafka_2.13 and its dependencies, Scala included) is resolved by Maven as the
 * dependencies of an antrun execution and written to the file named by the system property
 * {@code kafka.broker.classpath.file} before the integration tests run, so none of it is on this JVM's class path.
 * Starting: pick two free loopback ports (client and controller listeners), write {@code server.properties} with
 * a static one-voter quorum and {@code auto.create.topics.enable=false}, format the log directory with
 * {@code kafka.tools.StorageTool format} and a random cluster id, start {@code kafka.Kafka}, and wait until an
 * {@link Admin} client sees the node (trying again on new ports if a port was taken meanwhile). The broker's
 * output goes to {@code broker.log} in its temporary directory and is quoted when it fails to start. Closing destroys the process and deletes the directory; a shutdown hook
 * does the same if the test JVM dies first.
 */
final class KafkaBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Process process;
    private final String bootstrap;
    private final Admin admin;
    private final Thread reaper;

    private KafkaBroker(Path dir, Process process, String bootstrap, Admin admin, Thread reaper) {
        this.dir = dir;
        this.process = process;
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.reaper = reaper;
    }

    /**
     * Starts a broker. The ports are found free and then released before the broker binds them, so another process
     * on this shared machine may take one in between: a start that fails to bind is tried again on new ports.
     */
    static KafkaBroker start() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce();
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static KafkaBroker startOnce() throws IOException, InterruptedException {
        String classpath = brokerClasspath();
        Path dir = Files.createTempDirectory("busbar-kafka-");
        int port = freePort();
        int controllerPort = freePort();
        while (controllerPort == port) {
            controllerPort = freePort();
        }
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") , StandardCharsets.UTF_8);
        Path log = dir.resolve("broker.log");

        Process format = java(classpath, log, "kafka.tools.StorageTool", "format", "-t",
                Uuid.randomUuid().toString(), "-c", config.toString());
        if (!format.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            String why = tail(log);
            delete(dir);
            throw new IllegalStateException("Formatting the Kafka log directory failed:\n" + why);
        }
        Process broker = java(classpath, log, "kafka.Kafka", config.toString());
        Thread reaper = new Thread(() -> {
            broker.destroyForcibly();
            delete(dir);
        }, "kafka-broker-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);

        String bootstrap = "127.0.0.1:" + port;
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"));
        KafkaBroker started = new KafkaBroker(dir, broker, bootstrap, admin, reaper);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!broker.isAlive()) {
                String why = tail(log);
                boolean portTaken = Files.readString(log, StandardCharsets.UTF_8).contains("Address already in use");
                started.close();
                String message = "The Kafka broker exited with " + broker.exitValue() + ":\n" + why;
                throw portTaken ? new PortTaken(message) : new IllegalStateException(message);
            }
            try {
                if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                    return started;
                }
            } catch (Exception notYet) {
                // not listening yet, or the broker is not registered with the controller yet
            }
            if (System.nanoTime() > deadline) {
                String why = tail(log);
                started.close();
                throw new IllegalStateException("The Kafka broker was not ready within " + START_TIMEOUT + ":\n"
                        + why);
            }
            Thread.sleep(100);
        }
    }

    /** The broker could not bind a port found free a moment before. */
    private static final class PortTaken extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    Admin admin() {
        return admin;
    }

    /** Creates a topic with one partition, replication factor 1. */
    void createTopic(String name) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
        process.destroy(); // SIGTERM: a controlled shutdown, quick for one node
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        delete(dir);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway and finds nothing left to do
        }
    }

    private static String brokerClasspath() throws IOException {
        String file = System.getProperty("kafka.broker.classpath.file", "target/kafka-broker.classpath");
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("No Kafka broker class path at " + path.toAbsolutePath()
                    + ": run the integration tests through Maven (mvn verify), whose pre-integration-test phase "
                    + "writes it");
        }
        return Files.readString(path, StandardCharsets.UTF_8).trim();
    }

    private static Process java(String classpath, Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A small, quick-starting JVM: the tests need one partition, not throughput.
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djava.awt.headless=true", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is no test failure
        }
    }
}
