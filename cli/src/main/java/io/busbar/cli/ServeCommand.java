package io.busbar.cli;

import io.busbar.core.Busbar;
import io.busbar.core.store.Durability;
import io.busbar.core.store.StoreException;
import io.busbar.server.BusbarServer;
import io.busbar.server.ConfigException;
import io.busbar.server.ConfigFile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code busbar serve}: the EventBridge API on HTTP, with the bus in memory or, with {@code --data-dir}, stored
 * there (a restart resumes deliveries and keeps the control plane). Prints one line when it listens and
 * runs until stopped; on SIGTERM (or Ctrl-C) it finishes the requests in flight, then closes the bus.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the EventBridge-compatible server (state in memory, or in --data-dir).",
                "Exit status: 0 stopped, 1 could not start (configuration, port), 2 bad arguments."})
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "4010", description = "Port to listen on (default ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML or JSON file of buses, queues, connections, API destinations and rules to create at start.")
    Path config;

    @Option(names = "--auth", paramLabel = "FILE",
            description = "Credentials file (access key id: secret access key); requests must then be SigV4-signed.")
    Path auth;

    @Option(names = "--account", defaultValue = "123456789012", description = "Account id in ARNs and events (default ${DEFAULT-VALUE}).")
    String account;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region in ARNs and events (default ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the control plane and every accepted event in this directory, so a restart (even after kill -9) resumes; without it everything is in memory.")
    Path dataDir;

    @Option(names = "--durability", paramLabel = "MODE", defaultValue = "fsync",
            description = "With --data-dir: fsync (acknowledge after the disk sync; default), batch (after the write, synced every --sync-interval: a machine crash loses at most that), memory (store nothing).")
    String durability;

    @Option(names = "--sync-interval", paramLabel = "MILLIS", defaultValue = "100",
            description = "In batch durability, the longest written events wait for a sync (default ${DEFAULT-VALUE}).")
    long syncIntervalMillis;

    @Option(names = "--data-dir-limit", paramLabel = "SIZE",
            description = "Most bytes the event log may hold (suffix K, M or G); PutEvents entries beyond it fail with InternalFailure, as on a full disk.")
    String dataDirLimit;

    @Option(names = "--property", paramLabel = "NAME=VALUE",
            description = "A setting for the bundled targets, repeatable: busbar.sqs.endpoint, busbar.lambda.endpoint, busbar.kafka.bootstrap, ... (targets/README.md). Without one, that target kind stays off.")
    List<String> properties = new ArrayList<>();

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile BusbarServer server;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port: " + port + " (expected: 0 to 65535)");
        }
        if (!account.matches("[0-9]{12}")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--account: " + account + " (expected: 12 digits)");
        }
        if (!region.matches("[a-z]+(-[a-z]+)+-[0-9]+")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--region: " + region + " (expected: a region name such as us-east-1)");
        }
        Durability mode = switch (durability) {
            case "fsync" -> Durability.FSYNC;
            case "batch" -> Durability.BATCH;
            case "memory" -> Durability.MEMORY;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--durability: " + durability + " (expected: fsync, batch or memory)");
        };
        if (syncIntervalMillis < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--sync-interval: " + syncIntervalMillis + " (expected: a positive number of milliseconds)");
        }
        PrometheusMeterRegistry metrics = BusbarServer.newPrometheusRegistry();
        Busbar.Builder bb = Busbar.builder().meterRegistry(metrics).account(account).region(region)
                .deliveryLinger(BusbarServer.DELIVERY_LINGER)
                .deliveryPollInterval(BusbarServer.DELIVERY_POLL_INTERVAL);
        if (dataDir != null) {
            bb.dataDirectory(dataDir).durability(mode).syncInterval(Duration.ofMillis(syncIntervalMillis));
        }
        for (String p : properties) {
            int eq = p.indexOf('=');
            if (eq < 1 || eq == p.length() - 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--property: " + p + " (expected: NAME=VALUE, such as busbar.sqs.endpoint=http://localhost:9324)");
            }
            bb.property(p.substring(0, eq), p.substring(eq + 1));
        }
        if (dataDirLimit != null) {
            bb.dataDirectoryLimitBytes(size("--data-dir-limit", dataDirLimit));
        }
        Busbar busbar;
        try {
            busbar = bb.build();
        } catch (StoreException e) {
            err.println("busbar: " + e.getMessage());
            err.flush();
            return 1;
        }
        BusbarServer s;
        try {
            BusbarServer.Builder b = BusbarServer.builder(busbar).host(host).port(port);
            if (auth != null) {
                try {
                    b.credentialsFile(auth);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--auth: " + e.getMessage());
                }
            }
            if (config != null) {
                b.config(ConfigFile.load(config));
            }
            s = b.build().start();
        } catch (ConfigException e) {
            busbar.close();
            err.println("busbar: " + e.getMessage());
            err.flush();
            return 1;
        } catch (IllegalStateException e) {
            busbar.close();
            err.println("busbar: " + e.getMessage());
            err.flush();
            return 1;
        } catch (RuntimeException e) {
            busbar.close();
            throw e;
        }
        server = s;
        Thread hook = new Thread(this::stop, "busbar-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("Busbar listening on " + s.endpoint() + (dataDir == null || mode == Durability.MEMORY
                ? " (in memory: nothing survives a restart; use --data-dir to keep it)"
                : " (data in " + dataDir + ", durability " + durability + ")"));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped us
        }
        return 0;
    }

    /** A size such as {@code 512M}: bytes, or K, M, G (powers of 1024). */
    private long size(String option, String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = t.endsWith("K") ? 1L << 10 : t.endsWith("M") ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n > 0 && n <= Long.MAX_VALUE / unit) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(spec.commandLine(),
                option + ": " + text + " (expected: a positive size such as 512M or 10G)");
    }

    /** Stops the server gracefully (requests in flight finish, then the bus closes) and ends {@link #call()}. */
    void stop() {
        BusbarServer s = server;
        if (s != null) {
            s.close();
        }
        stopped.countDown();
    }

    /** The running server, once {@link #call()} has started it (for tests). */
    BusbarServer server() {
        return server;
    }
}
