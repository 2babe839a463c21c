package io.busbar.targets.sqs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One SQS server as the targets see it: the SDK client, the queues' URLs and kinds (looked up once and cached), and
 * one {@link QueueSender} per queue, shared by every target that sends to that queue so that their deliveries can
 * leave in one batch. Thread-safe.
 */
final class SqsEndpoint implements AutoCloseable {
    private final SqsSettings settings;
    private final SqsAsyncClient client;
    private final ConcurrentMap<QueueKey, CompletableFuture<QueueInfo>> queues = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, QueueSender> senders = new ConcurrentHashMap<>();

    /** A queue as looked up: its name and, when not the caller's own, the owning account. */
    private record QueueKey(String name, String owner) {
    }

    /**
     * What sending to a queue needs to know.
     *
     * @param url                    the queue's URL, as {@code GetQueueUrl} answered
     * @param fifo                   whether it is a FIFO queue
     * @param contentBasedDedup      for FIFO queues, whether SQS derives the deduplication id from the body
     */
    record QueueInfo(String url, boolean fifo, boolean contentBasedDedup) {
    }

    SqsEndpoint(SqsSettings settings) {
        this.settings = settings;
        this.client = SqsAsyncClient.builder()
                .endpointOverride(settings.endpoint())
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(settings.timeout())
                        // Enough connections for every queue's requests in flight on a handful of queues.
                        .maxConcurrency(Math.max(50, settings.maxConcurrent() * 8)))
                .overrideConfiguration(c -> c
                        .apiCallTimeout(settings.timeout())
                        // The bus retries with back-off under the target's RetryPolicy and counts each attempt;
                        // retries inside the SDK would hide attempts and stretch one past the delivery timeout.
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    SqsSettings settings() {
        return settings;
    }

    SqsAsyncClient client() {
        return client;
    }

    /**
     * The queue's URL and kind, from the cache or looked up ({@code GetQueueUrl}, and for FIFO queues
     * {@code GetQueueAttributes}). A failed lookup is not cached: the next delivery asks again.
     *
     * @param owner the owning account when it is not the caller's, else {@code null}
     */
    CompletableFuture<QueueInfo> queue(QueueArn arn, String owner) {
        QueueKey key = new QueueKey(arn.name(), owner);
        CompletableFuture<QueueInfo> cached = queues.get(key);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<QueueInfo> mine = new CompletableFuture<>();
        CompletableFuture<QueueInfo> raced = queues.putIfAbsent(key, mine);
        if (raced != null) {
            return raced;
        }
        CompletableFuture<QueueInfo> lookup;
        try {
            lookup = lookUp(arn, owner);
        } catch (RuntimeException e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        lookup.whenComplete((info, error) -> {
            if (error != null) {
                queues.remove(key, mine);
                mine.completeExceptionally(error);
            } else {
                mine.complete(info);
            }
        });
        return mine;
    }

    private CompletableFuture<QueueInfo> lookUp(QueueArn arn, String owner) {
        return client.getQueueUrl(b -> b.queueName(arn.name()).queueOwnerAWSAccountId(owner))
                .thenCompose(r -> !arn.fifo()
                        ? CompletableFuture.completedFuture(new QueueInfo(r.queueUrl(), false, false))
                        : client.getQueueAttributes(b -> b.queueUrl(r.queueUrl())
                                        .attributeNames(QueueAttributeName.CONTENT_BASED_DEDUPLICATION))
                                .thenApply(a -> new QueueInfo(r.queueUrl(), true, Boolean.parseBoolean(
                                        a.attributes().get(QueueAttributeName.CONTENT_BASED_DEDUPLICATION)))));
    }

    /** Forgets what is known of a queue that was reported missing: it may be created again. */
    void forget(QueueArn arn, String owner, String url) {
        queues.remove(new QueueKey(arn.name(), owner));
        if (url != null) {
            senders.remove(url);
        }
    }

    QueueSender sender(String queueUrl) {
        return senders.computeIfAbsent(queueUrl, u -> new QueueSender(client, u, settings.maxBatchSize(),
                settings.maxConcurrent()));
    }

    /** Fails what still waits to be sent, then closes the client. */
    @Override
    public void close() {
        senders.values().forEach(QueueSender::close);
        senders.clear();
        client.close();
    }
}
