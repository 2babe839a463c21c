package io.busbar.targets.http;

import io.busbar.core.spi.DeliveryOutcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * EventBridge's classification of an API destination's answer (spec 6.2), and the error codes this module reports.
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>what happened</th><th>outcome</th><th>code</th></tr>
 *   <tr><td>2xx</td><td>delivered</td><td></td></tr>
 *   <tr><td>429</td><td>retryable, after {@code Retry-After} if given</td><td>{@code THROTTLING}</td></tr>
 *   <tr><td>5xx</td><td>retryable, after {@code Retry-After} if given</td><td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>429 or 5xx with a negative {@code Retry-After}</td><td>permanent</td><td>as above</td></tr>
 *   <tr><td>1xx, 3xx (redirects are not followed), other 4xx</td><td>permanent</td>
 *       <td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>no answer within the timeout</td><td>retryable</td><td>{@code TIMEOUT}</td></tr>
 *   <tr><td>connection refused, reset, other I/O errors</td><td>retryable</td><td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>over the destination's rate limit for longer than the target holds deliveries</td><td>retryable</td>
 *       <td>{@code THROTTLING}</td></tr>
 *   <tr><td>destination or connection does not exist (any more)</td><td>permanent</td><td>{@code NO_RESOURCE}</td></tr>
 *   <tr><td>OAuth token refused (authorization endpoint 1xx/3xx/4xx but 429, or no {@code access_token}),
 *       connection deauthorized</td><td>permanent</td><td>{@code NO_PERMISSIONS}</td></tr>
 *   <tr><td>parameters that cannot be applied to this event or destination (a path with no value, wildcard count
 *       mismatch, a header the client refuses)</td><td>permanent</td><td>{@code INVALID_PARAMETER}</td></tr>
 * </table>
 *
 * <p>{@code SDK_CLIENT_ERROR} is the code EventBridge's dead-letter messages carry for API destination failures;
 * the others are from its documented sample list (spec 5.7) or, for {@code INVALID_PARAMETER}, the code the bus's
 * registry already uses for target configuration errors.
 */
final class HttpOutcomes {
    static final String THROTTLING = "THROTTLING";
    static final String TIMEOUT = "TIMEOUT";
    static final String SDK_CLIENT_ERROR = "SDK_CLIENT_ERROR";
    static final String NO_RESOURCE = "NO_RESOURCE";
    static final String NO_PERMISSIONS = "NO_PERMISSIONS";
    static final String INVALID_PARAMETER = "INVALID_PARAMETER";

    private HttpOutcomes() {
    }

    /** The outcome of an invocation that got an answer. */
    static DeliveryOutcome ofResponse(HttpResponse<?> response, Instant now) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return DeliveryOutcome.delivered();
        }
        String what = "Unable to invoke ApiDestination endpoint: the endpoint answered HTTP " + status;
        if (status == 429 || status >= 500) {
            String code = status == 429 ? THROTTLING : SDK_CLIENT_ERROR;
            RetryAfter.Value after = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), now);
            return switch (after.kind()) {
                case ABSENT -> DeliveryOutcome.retryable(code, what);
                case WAIT -> DeliveryOutcome.retryableAfter(code, what + " (Retry-After " + after.delay().toSeconds()
                        + " s)", after.delay());
                case STOP -> DeliveryOutcome.permanent(code, what + " with a negative Retry-After: not retried");
            };
        }
        return DeliveryOutcome.permanent(SDK_CLIENT_ERROR, what + " (not retried)");
    }

    /** The outcome of an exchange that ended without an answer (or a failure carried from an earlier stage). */
    static DeliveryOutcome ofError(Throwable error, String what) {
        Throwable e = unwrap(error);
        if (e instanceof DeliveryFailure) {
            return ((DeliveryFailure) e).outcome();
        }
        if (e instanceof HttpTimeoutException) {
            return DeliveryOutcome.retryable(TIMEOUT, what + " timed out: " + e.getMessage());
        }
        if (e instanceof ConnectException) {
            return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, what + " could not connect: " + describe(e));
        }
        if (e instanceof IOException) {
            return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, what + " failed: " + describe(e));
        }
        if (e instanceof IllegalArgumentException) {
            // The JDK client refuses a header name or value, or a URI, that only this event made (dynamic values).
            return DeliveryOutcome.permanent(INVALID_PARAMETER, what + " could not be built: " + e.getMessage());
        }
        if (e instanceof CancellationException) {
            return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, what + " was cancelled");
        }
        return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, what + " failed: " + describe(e));
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
