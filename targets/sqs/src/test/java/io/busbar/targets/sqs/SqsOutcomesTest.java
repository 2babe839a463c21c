package io.busbar.targets.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryOutcome.Status;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The classification table of {@link SqsOutcomes}, row by row. */
class SqsOutcomesTest {
    private static final String Q = "http://localhost:9324/123456789012/q";

    private static SqsException service(int status, String code) {
        return (SqsException) SqsException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("said " + code).build())
                .build();
    }

    private static void assertOutcome(Status status, String code, DeliveryOutcome outcome) {
        assertEquals(status, outcome.status(), outcome.toString());
        assertEquals(code, outcome.errorCode(), outcome.toString());
    }

    @Test
    void missingQueueIsPermanentNoResource() {
        QueueDoesNotExistException e = QueueDoesNotExistException.builder()
                .statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AWS.SimpleQueueService.NonExistentQueue").errorMessage("gone").build()).build();
        DeliveryOutcome o = SqsOutcomes.ofError(new CompletionException(e), Q);
        assertOutcome(Status.PERMANENT, "NO_RESOURCE", o);
        assertTrue(o.message().contains("AWS.SimpleQueueService.NonExistentQueue: gone"), o.message());
        assertOutcome(Status.PERMANENT, "NO_RESOURCE", SqsOutcomes.ofError(service(400, "QueueDoesNotExist"), Q));
    }

    @Test
    void throttlingIsRetryable() {
        assertOutcome(Status.RETRYABLE, "THROTTLING", SqsOutcomes.ofError(service(400, "ThrottlingException"), Q));
        assertOutcome(Status.RETRYABLE, "THROTTLING", SqsOutcomes.ofError(service(403, "RequestThrottled"), Q));
        assertOutcome(Status.RETRYABLE, "THROTTLING", SqsOutcomes.ofError(service(403, "OverLimit"), Q));
        assertOutcome(Status.RETRYABLE, "THROTTLING", SqsOutcomes.ofError(service(429, "SlowDown"), Q));
    }

    @Test
    void deniedIsPermanentNoPermissions() {
        assertOutcome(Status.PERMANENT, "NO_PERMISSIONS", SqsOutcomes.ofError(service(403, "AccessDenied"), Q));
        assertOutcome(Status.PERMANENT, "NO_PERMISSIONS",
                SqsOutcomes.ofError(service(400, "KMS.AccessDeniedException"), Q));
        assertOutcome(Status.PERMANENT, "NO_PERMISSIONS",
                SqsOutcomes.ofError(service(403, "InvalidClientTokenId"), Q));
        assertOutcome(Status.PERMANENT, "NO_PERMISSIONS", SqsOutcomes.ofError(service(403, "Whatever"), Q));
    }

    @Test
    void serverErrorsAreRetryable() {
        assertOutcome(Status.RETRYABLE, "SDK_CLIENT_ERROR", SqsOutcomes.ofError(service(500, "InternalError"), Q));
        assertOutcome(Status.RETRYABLE, "SDK_CLIENT_ERROR",
                SqsOutcomes.ofError(service(503, "ServiceUnavailable"), Q));
    }

    @Test
    void otherClientErrorsArePermanent() {
        DeliveryOutcome o = SqsOutcomes.ofError(service(400, "InvalidMessageContents"), Q);
        assertOutcome(Status.PERMANENT, "SDK_CLIENT_ERROR", o);
        assertTrue(o.message().startsWith("Sending to " + Q + " failed: InvalidMessageContents: said "), o.message());
        assertOutcome(Status.PERMANENT, "SDK_CLIENT_ERROR", SqsOutcomes.ofError(service(400, "InvalidParameterValue"),
                Q));
    }

    @Test
    void timeoutsAndNetworkErrorsAreRetryable() {
        assertOutcome(Status.RETRYABLE, "TIMEOUT", SqsOutcomes.ofError(ApiCallTimeoutException.create(1000), Q));
        assertOutcome(Status.RETRYABLE, "TIMEOUT",
                SqsOutcomes.ofError(ApiCallAttemptTimeoutException.create(1000), Q));
        assertOutcome(Status.RETRYABLE, "TIMEOUT", SqsOutcomes.ofError(SdkClientException.create("read",
                new java.util.concurrent.TimeoutException("read timed out")), Q));
        DeliveryOutcome o = SqsOutcomes.ofError(new CompletionException(SdkClientException.create(
                "Unable to execute HTTP request", new ConnectException("Connection refused"))), Q);
        assertOutcome(Status.RETRYABLE, "SDK_CLIENT_ERROR", o);
        assertTrue(o.message().contains("Connection refused"), o.message());
        assertOutcome(Status.RETRYABLE, "SDK_CLIENT_ERROR", SqsOutcomes.ofError(new IllegalStateException("x"), Q));
    }

    @Test
    void batchEntriesByCodeThenSenderFault() {
        assertOutcome(Status.PERMANENT, "SDK_CLIENT_ERROR", SqsOutcomes.ofBatchEntry(BatchResultErrorEntry.builder()
                .id("0").code("InvalidMessageContents").senderFault(true).message("bad").build(), Q));
        assertOutcome(Status.RETRYABLE, "SDK_CLIENT_ERROR", SqsOutcomes.ofBatchEntry(BatchResultErrorEntry.builder()
                .id("0").code("InternalError").senderFault(false).build(), Q));
        assertOutcome(Status.RETRYABLE, "THROTTLING", SqsOutcomes.ofBatchEntry(BatchResultErrorEntry.builder()
                .id("0").code("RequestThrottled").senderFault(true).build(), Q));
        assertOutcome(Status.PERMANENT, "NO_RESOURCE", SqsOutcomes.ofBatchEntry(BatchResultErrorEntry.builder()
                .id("0").code("QueueDoesNotExist").senderFault(true).build(), Q));
        assertOutcome(Status.PERMANENT, "NO_PERMISSIONS", SqsOutcomes.ofBatchEntry(BatchResultErrorEntry.builder()
                .id("0").code("AccessDenied").senderFault(true).build(), Q));
    }
}
