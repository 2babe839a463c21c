package io.busbar.targets.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryOutcome.Status;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** The classification table of {@link KafkaOutcomes}, row by row. */
class KafkaOutcomesTest {

    private static void assertOutcome(Status status, String code, Throwable error) {
        DeliveryOutcome o = KafkaOutcomes.ofError(error, "orders");
        assertEquals(status, o.status(), o.toString());
        assertEquals(code, o.errorCode(), o.toString());
        assertTrue(o.message().startsWith("Writing to Kafka topic orders failed: "), o.message());
    }

    @Test
    void unknownTopicAfterTheMetadataWaitIsPermanent() {
        assertOutcome(Status.PERMANENT, "NO_RESOURCE", new TimeoutException("Topic orders not present in metadata "
                + "after 5000 ms.", new UnknownTopicOrPartitionException("This server does not host this "
                + "topic-partition.")));
    }

    @Test
    void otherTimeoutsAreRetryable() {
        assertOutcome(Status.RETRYABLE, "TIMEOUT", new TimeoutException("Topic orders not present in metadata "
                + "after 5000 ms."));
        assertOutcome(Status.RETRYABLE, "TIMEOUT", new ExecutionException(new TimeoutException("Expiring 1 "
                + "record(s) for orders-0: 20000 ms has passed since batch creation")));
    }

    @Test
    void authIsPermanent() {
        assertOutcome(Status.PERMANENT, "NO_PERMISSIONS", new TopicAuthorizationException("Not authorized"));
        assertOutcome(Status.PERMANENT, "NO_PERMISSIONS", new SaslAuthenticationException("bad password"));
    }

    @Test
    void recordsTheBrokerCanNeverTakeArePermanent() {
        assertOutcome(Status.PERMANENT, "SDK_CLIENT_ERROR", new RecordTooLargeException("too large"));
        assertOutcome(Status.PERMANENT, "SDK_CLIENT_ERROR", new InvalidRecordException("Compacted topic cannot "
                + "accept message without key"));
    }

    @Test
    void retriableErrorsAreRetryable() {
        assertOutcome(Status.RETRYABLE, "SDK_CLIENT_ERROR", new NotEnoughReplicasException("isr"));
        assertOutcome(Status.RETRYABLE, "THROTTLING", new ThrottlingQuotaExceededException("quota"));
        assertOutcome(Status.RETRYABLE, "SDK_CLIENT_ERROR", new KafkaException("unexpected"));
        assertOutcome(Status.RETRYABLE, "SDK_CLIENT_ERROR", new RejectedExecutionException("closed"));
    }
}
