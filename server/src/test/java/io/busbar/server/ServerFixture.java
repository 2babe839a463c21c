package io.busbar.server;

import io.busbar.core.Busbar;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** A real server on a free port with a Prometheus-metered bus, and SDK clients for it. Close it after use. */
final class ServerFixture implements AutoCloseable {
    final Busbar busbar;
    final BusbarServer server;
    private final UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.builder()
            .socketTimeout(Duration.ofSeconds(10)).build();

    ServerFixture(Map<String, String> credentials) {
        this(Busbar.builder(), credentials);
    }

    /** A server for a bus built from {@code bus} (with a Prometheus registry added). */
    ServerFixture(Busbar.Builder bus, Map<String, String> credentials) {
        busbar = bus.meterRegistry(BusbarServer.newPrometheusRegistry()).build();
        BusbarServer.Builder b = BusbarServer.builder(busbar).port(0).drainTimeout(Duration.ofSeconds(2));
        if (credentials != null) {
            b.credentials(credentials);
        }
        server = b.build().start();
    }

    ServerFixture() {
        this(null);
    }

    URI endpoint() {
        return URI.create("http://localhost:" + server.port());
    }

    /** An SDK client signing with the given key, without retries (errors are what the tests look at). */
    EventBridgeClient client(String accessKeyId, String secret) {
        return EventBridgeClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    EventBridgeClient client() {
        return client("AKIDTEST", "secret");
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}
