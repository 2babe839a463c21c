package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real aws CLI ({@code aws <service> <args> --endpoint-url <endpoint> --output json}) with static keys, a
 * region and an empty configuration in a folder of the test's own, so nothing of the user's AWS setup is read.
 * Shared by the end-to-end tests of the EventBridge, Scheduler and Schemas APIs.
 */
final class AwsCli {
    /** The {@code aws} executable on the PATH, or null (Debian: {@code apt-get install awscli}). */
    static final Path AWS = findOnPath("aws");
    static final String SKIP_MESSAGE = "the aws CLI is not on the PATH (install it: apt-get install -y awscli); "
            + "skipping the end-to-end test with it";

    private final String service;
    private final URI endpoint;
    private final String keyId;
    private final String secret;
    private final Path home;

    /**
     * @param home a folder of the test's own; its {@code config} turns off aws CLI v1's {@code cli_follow_urlparam},
     *             which would otherwise fetch any argument that starts with {@code http://} (an API destination's
     *             endpoint, for one) and pass the page it got instead (v2 no longer does this and ignores the key)
     */
    AwsCli(URI endpoint, String keyId, String secret, Path home) throws IOException {
        this("events", endpoint, keyId, secret, home);
    }

    /** A CLI for another service's commands ({@code scheduler}, {@code schemas}). */
    AwsCli(String service, URI endpoint, String keyId, String secret, Path home) throws IOException {
        this.service = service;
        this.endpoint = endpoint;
        this.keyId = keyId;
        this.secret = secret;
        this.home = home;
        Files.writeString(home.resolve("config"), "[default]\ncli_follow_urlparam = false\n", StandardCharsets.UTF_8);
    }

    record Result(int exit, String out, String err) {
    }

    private static Path findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs {@code aws events <args>}; returns its standard output as JSON, failing on a non-zero exit. */
    JsonNode events(String... args) throws IOException, InterruptedException {
        return call(args);
    }

    /** Runs {@code aws <service> <args>}; returns its standard output as JSON, failing on a non-zero exit. */
    JsonNode call(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertEquals(0, r.exit, "aws " + service + " " + String.join(" ", args) + " failed: " + r.err);
        return r.out.isBlank() ? Json.object() : Json.MAPPER.readTree(r.out);
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(AWS.toString(), service));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", endpoint.toString(), "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", keyId);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_PAGER", "");
        env.put("AWS_MAX_ATTEMPTS", "1"); // an expected error answer must not be retried by the CLI
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + service + " " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
