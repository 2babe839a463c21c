package io.busbar.cli;

import io.busbar.core.Busbar;
import io.busbar.server.BusbarServer;
import io.busbar.server.ConfigException;
import io.busbar.server.ConfigFile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code busbar serve}: the EventBridge API on HTTP, with the bus in memory. Prints one line when it listens and
 * runs until stopped; on SIGTERM (or Ctrl-C) it finishes the requests in flight, then closes the bus.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the EventBridge-compatible server (state in memory).",
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
        PrometheusMeterRegistry metrics = BusbarServer.newPrometheusRegistry();
        Busbar busbar = Busbar.builder().meterRegistry(metrics).account(account).region(region).build();
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
        out.println("Busbar listening on " + s.endpoint() + " (in memory)");
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
