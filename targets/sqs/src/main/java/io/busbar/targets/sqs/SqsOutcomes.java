package io.busbar.targets.sqs;

import io.busbar.core.spi.DeliveryOutcome;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * How an SQS call ended, in EventBridge's terms (spec 5.6: missing resources and permissions are not retried;
 * throttling, server errors, network trouble and timeouts are).
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>SQS's answer</th><th>outcome</th><th>code</th></tr>
 *   <tr><td>message stored</td><td>delivered</td><td></td></tr>
 *   <tr><td>{@code QueueDoesNotExist} ({@code AWS.SimpleQueueService.NonExistentQueue}), from
 *       {@code GetQueueUrl} or {@code SendMessage}</td><td>permanent; the cached URL is forgotten</td>
 *       <td>{@code NO_RESOURCE}</td></tr>
 *   <tr><td>throttling ({@code RequestThrottled}, {@code ThrottlingException}, {@code OverLimit},
 *       {@code KMS.ThrottlingException}, HTTP 429, ...)</td><td>retryable</td><td>{@code THROTTLING}</td></tr>
 *   <tr><td>{@code AccessDenied}, {@code KMS.AccessDeniedException}, {@code InvalidClientTokenId},
 *       {@code SignatureDoesNotMatch}, {@code UnrecognizedClientException}, other HTTP 401/403</td>
 *       <td>permanent</td><td>{@code NO_PERMISSIONS}</td></tr>
 *   <tr><td>clock skew ({@code RequestTimeTooSkewed}): the SDK corrects its clock offset</td><td>retryable</td>
 *       <td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>HTTP 5xx ({@code InternalError}, {@code ServiceUnavailable}, ...)</td><td>retryable</td>
 *       <td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>other 4xx ({@code InvalidMessageContents}, {@code InvalidParameterValue} such as a message too long,
 *       {@code UnsupportedOperation}, {@code KMS.DisabledException}, ...)</td><td>permanent</td>
 *       <td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>no answer within {@code busbar.sqs.timeoutMillis}</td><td>retryable</td><td>{@code TIMEOUT}</td></tr>
 *   <tr><td>connection refused or reset, other client-side errors</td><td>retryable</td>
 *       <td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>an entry of a {@code SendMessageBatch} that failed: by its code as above, else permanent when
 *       {@code SenderFault} and retryable when not</td><td></td><td></td></tr>
 * </table>
 *
 * <p>Each message names SQS's error code and message, so a dead letter's {@code ERROR_MESSAGE} says why.
 */
final class SqsOutcomes {
    static final String THROTTLING = "THROTTLING";
    static final String TIMEOUT = "TIMEOUT";
    static final String SDK_CLIENT_ERROR = "SDK_CLIENT_ERROR";
    static final String NO_RESOURCE = "NO_RESOURCE";
    static final String NO_PERMISSIONS = "NO_PERMISSIONS";

    /** Error codes of a missing queue: the JSON protocol's and the query protocol's. */
    private static final Set<String> MISSING = Set.of("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
            "NonExistentQueue");
    /** Throttling codes the SDK does not already recognise as such. */
    private static final Set<String> THROTTLED = Set.of("RequestThrottled", "OverLimit", "KMS.ThrottlingException",
            "KmsThrottled", "AWS.SimpleQueueService.RequestThrottled");
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException",
            "KMS.AccessDeniedException", "KmsAccessDenied", "InvalidClientTokenId", "SignatureDoesNotMatch",
            "UnrecognizedClientException", "MissingAuthenticationToken", "InvalidSecurity", "ExpiredToken",
            "AuthFailure", "InvalidAccessKeyId");

    private SqsOutcomes() {
    }

    /** The outcome of a call that failed as a whole ({@code GetQueueUrl}, {@code SendMessage}, a batch). */
    static DeliveryOutcome ofError(Throwable error, String queue) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String what = "Sending to " + queue + " failed: ";
        if (e instanceof SdkServiceException service) {
            String code = errorCode(service);
            String text = what + (code == null ? "HTTP " + service.statusCode() : code)
                    + (message(service) == null ? "" : ": " + message(service));
            if (service instanceof QueueDoesNotExistException || (code != null && MISSING.contains(code))) {
                return DeliveryOutcome.permanent(NO_RESOURCE, text);
            }
            if (service.isThrottlingException() || (code != null && THROTTLED.contains(code))) {
                return DeliveryOutcome.retryable(THROTTLING, text);
            }
            if (service.isClockSkewException()) {
                return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, text);
            }
            if ((code != null && DENIED.contains(code)) || service.statusCode() == 401
                    || service.statusCode() == 403) {
                return DeliveryOutcome.permanent(NO_PERMISSIONS, text);
            }
            if (service.statusCode() >= 500 || service.statusCode() == 0) {
                return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, text);
            }
            return DeliveryOutcome.permanent(SDK_CLIENT_ERROR, text);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException || isTimeout(e)) {
            return DeliveryOutcome.retryable(TIMEOUT, what + describe(e));
        }
        if (e instanceof SdkClientException) {
            return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, what + describe(e));
        }
        return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, what + e);
    }

    /** The outcome of one failed entry of a {@code SendMessageBatch}. */
    static DeliveryOutcome ofBatchEntry(BatchResultErrorEntry entry, String queue) {
        String code = entry.code();
        String text = "Sending to " + queue + " failed: " + code
                + (entry.message() == null ? "" : ": " + entry.message());
        if (code != null && MISSING.contains(code)) {
            return DeliveryOutcome.permanent(NO_RESOURCE, text);
        }
        if (code != null && (THROTTLED.contains(code) || code.contains("Throttl"))) {
            return DeliveryOutcome.retryable(THROTTLING, text);
        }
        if (code != null && DENIED.contains(code)) {
            return DeliveryOutcome.permanent(NO_PERMISSIONS, text);
        }
        // SenderFault: the message itself is at fault (invalid characters, too long), so sending it again fails.
        return Boolean.TRUE.equals(entry.senderFault()) ? DeliveryOutcome.permanent(SDK_CLIENT_ERROR, text)
                : DeliveryOutcome.retryable(SDK_CLIENT_ERROR, text);
    }

    private static String errorCode(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return null;
    }

    private static String message(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorMessage() != null) {
            return aws.awsErrorDetails().errorMessage();
        }
        return null;
    }

    /** Netty's read/write timeouts and the JDK's arrive wrapped in an {@link SdkClientException}. */
    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getSimpleName().endsWith("TimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            out.append(": ").append(e.getMessage());
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null
                && (e.getMessage() == null || !e.getMessage().contains(cause.getMessage()))) {
            out.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage())
                    .append(')');
        }
        return out.toString();
    }
}
