package io.busbar.targets.sqs;

import io.busbar.core.spi.DeliveryOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Sends the messages of one queue, batching those that are ready at the same time.
 *
 * <p>Implementation notes: at most {@code maxConcurrent} requests are in flight for the queue. A message that
 * finds a free slot leaves at once, alone ({@code SendMessage}); messages that arrive while every slot is taken
 * wait in a FIFO, and whenever a request comes back the freed slot takes as many waiting messages as fit in one
 * request: up to {@code maxBatch}, and at most {@value #MAX_BATCH_BYTES} bytes of bodies and attributes (SQS's
 * classic request limit, which every SQS-compatible server accepts). So an idle queue pays no batching delay, and a
 * busy one sends fewer, fuller requests. The slot count and the FIFO are guarded by one lock, held only to take
 * messages, never across a call; completions that arrive at once are handled in a loop, not by recursion.
 * Per-entry results of a batch become per-delivery outcomes; a failure of the whole request applies to each
 * message in it. Thread-safe.
 */
final class QueueSender {
    /** SQS's classic limit for one message and for one batch; AWS now allows more, but not every server does. */
    static final int MAX_BATCH_BYTES = 262_144;

    private final SqsAsyncClient client;
    private final String queueUrl;
    private final int maxBatch;
    private final int maxConcurrent;
    private final Object lock = new Object();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int inFlight;
    private boolean closed;
    private final AtomicLong singleRequests = new AtomicLong();
    private final AtomicLong batchRequests = new AtomicLong();

    private record Waiting(OutgoingMessage message, CompletableFuture<DeliveryOutcome> result) {
    }

    QueueSender(SqsAsyncClient client, String queueUrl, int maxBatch, int maxConcurrent) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.maxBatch = maxBatch;
        this.maxConcurrent = maxConcurrent;
    }

    /** Queues a message; the stage completes with its outcome once SQS has answered. Never blocks. */
    CompletableFuture<DeliveryOutcome> send(OutgoingMessage message) {
        Waiting w = new Waiting(message, new CompletableFuture<>());
        List<Waiting> batch;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(DeliveryOutcome.retryable(SqsOutcomes.SDK_CLIENT_ERROR,
                        "The SQS client for " + queueUrl + " is closed"));
            }
            waiting.add(w);
            batch = takeLocked();
        }
        run(batch);
        return w.result;
    }

    /** {@code SendMessage} calls made so far (for tests and diagnostics). */
    long singleRequests() {
        return singleRequests.get();
    }

    /** {@code SendMessageBatch} calls made so far (for tests and diagnostics). */
    long batchRequests() {
        return batchRequests.get();
    }

    /** Takes the next request's messages and a slot, or returns null when there is no slot or nothing waits. */
    private List<Waiting> takeLocked() {
        if (inFlight >= maxConcurrent || waiting.isEmpty()) {
            return null;
        }
        inFlight++;
        List<Waiting> batch = new ArrayList<>(Math.min(maxBatch, waiting.size()));
        int bytes = 0;
        while (batch.size() < maxBatch && !waiting.isEmpty()) {
            int size = waiting.peekFirst().message().size();
            if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                break; // the first always goes, alone if it must: SQS judges a message that is too large
            }
            bytes += size;
            batch.add(waiting.pollFirst());
        }
        return batch;
    }

    /** Sends batches until one is still in flight; its completion carries on from there. */
    private void run(List<Waiting> batch) {
        while (batch != null) {
            CompletableFuture<Void> done = transmit(batch);
            if (!done.isDone()) {
                done.whenComplete((v, e) -> run(release()));
                return;
            }
            batch = release();
        }
    }

    private List<Waiting> release() {
        synchronized (lock) {
            inFlight--;
            return takeLocked();
        }
    }

    /** Sends one request; the returned stage completes (never exceptionally) once every message has its outcome. */
    private CompletableFuture<Void> transmit(List<Waiting> batch) {
        try {
            return batch.size() == 1 ? transmitOne(batch.get(0)) : transmitBatch(batch);
        } catch (RuntimeException e) {
            DeliveryOutcome outcome = SqsOutcomes.ofError(e, queueUrl);
            batch.forEach(w -> w.result.complete(outcome));
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<Void> transmitOne(Waiting w) {
        singleRequests.incrementAndGet();
        OutgoingMessage m = w.message();
        return client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(m.body())
                        .messageAttributes(m.attributes().isEmpty() ? null : m.sdkAttributes())
                        .messageGroupId(m.messageGroupId()).messageDeduplicationId(m.deduplicationId()))
                .handle((response, error) -> {
                    w.result.complete(error == null ? DeliveryOutcome.delivered()
                            : SqsOutcomes.ofError(error, queueUrl));
                    return null;
                });
    }

    private CompletableFuture<Void> transmitBatch(List<Waiting> batch) {
        batchRequests.incrementAndGet();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        Map<String, Waiting> byId = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Waiting w = batch.get(i);
            OutgoingMessage m = w.message();
            String id = Integer.toString(i); // unique within the request, which is all SQS asks
            byId.put(id, w);
            entries.add(SendMessageBatchRequestEntry.builder().id(id).messageBody(m.body())
                    .messageAttributes(m.attributes().isEmpty() ? null : m.sdkAttributes())
                    .messageGroupId(m.messageGroupId()).messageDeduplicationId(m.deduplicationId()).build());
        }
        return client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                .handle((response, error) -> {
                    if (error != null) {
                        DeliveryOutcome outcome = SqsOutcomes.ofError(error, queueUrl);
                        batch.forEach(w -> w.result.complete(outcome));
                    } else {
                        settle(response, byId);
                    }
                    return null;
                });
    }

    private void settle(SendMessageBatchResponse response, Map<String, Waiting> byId) {
        for (SendMessageBatchResultEntry ok : response.successful()) {
            Waiting w = byId.remove(ok.id());
            if (w != null) {
                w.result.complete(DeliveryOutcome.delivered());
            }
        }
        for (BatchResultErrorEntry failed : response.failed()) {
            Waiting w = byId.remove(failed.id());
            if (w != null) {
                w.result.complete(SqsOutcomes.ofBatchEntry(failed, queueUrl));
            }
        }
        // SQS answers for every entry; one it left out is a lost answer, and sending again is safe.
        byId.values().forEach(w -> w.result.complete(DeliveryOutcome.retryable(SqsOutcomes.SDK_CLIENT_ERROR,
                "SQS gave no result for a message of the batch sent to " + queueUrl)));
    }

    /** Fails what still waits; requests in flight end on their own. */
    void close() {
        List<Waiting> left;
        synchronized (lock) {
            closed = true;
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        left.forEach(w -> w.result.complete(DeliveryOutcome.retryable(SqsOutcomes.SDK_CLIENT_ERROR,
                "The SQS client for " + queueUrl + " was closed before the message was sent")));
    }
}
