package io.busbar.targets.sqs;

import io.busbar.targets.testing.TestEnvironment;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An ElasticMQ server in this JVM on a free loopback port (the OS picks it), with the bus's account and region so
 * that queue ARNs line up, and a plain SDK client to create queues and read what arrived. Closing stops both.
 */
final class ElasticMq implements AutoCloseable {
    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsAsyncClient client;

    ElasticMq() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                .withAWSAccountId(TestEnvironment.ACCOUNT).withAWSRegion(TestEnvironment.REGION).start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        client = SqsAsyncClient.builder().endpointOverride(endpoint).region(Region.of(TestEnvironment.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build();
    }

    String endpoint() {
        return endpoint.toString();
    }

    SqsAsyncClient client() {
        return client;
    }

    /** Creates a queue (FIFO when the name ends in .fifo) and returns its URL. */
    String createQueue(String name, boolean contentBasedDedup) {
        Map<QueueAttributeName, String> attributes = name.endsWith(".fifo")
                ? Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, Boolean.toString(contentBasedDedup))
                : Map.of();
        return client.createQueue(b -> b.queueName(name).attributes(attributes)).join().queueUrl();
    }

    /** Receives until {@code count} messages arrived or the time is up; the messages are deleted. */
    List<Message> receive(String queueUrl, int count, Duration within) {
        List<Message> out = new ArrayList<>();
        Instant deadline = Instant.now().plus(within);
        while (out.size() < count && Instant.now().isBefore(deadline)) {
            List<Message> got = client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).join().messages();
            for (Message m : got) {
                client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())).join();
            }
            out.addAll(got);
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
