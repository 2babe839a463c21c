package io.busbar.targets.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.spi.DeliveryOutcome;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;

/**
 * How an asynchronous Invoke call ended, in EventBridge's terms.
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>Lambda's answer</th><th>outcome</th><th>code</th></tr>
 *   <tr><td>2xx (202 Accepted for an {@code Event} invocation)</td><td>delivered</td><td></td></tr>
 *   <tr><td>429 {@code TooManyRequestsException}</td><td>retryable, after {@code Retry-After} if given</td>
 *       <td>{@code THROTTLING}</td></tr>
 *   <tr><td>5xx ({@code ServiceException}, {@code EC2ThrottledException}, ...)</td>
 *       <td>retryable, after {@code Retry-After} if given</td><td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>409 {@code ResourceConflictException} (the function is being created or updated)</td>
 *       <td>retryable</td><td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>404 {@code ResourceNotFoundException}</td><td>permanent</td><td>{@code NO_RESOURCE}</td></tr>
 *   <tr><td>401, 403 ({@code AccessDeniedException}, signature errors)</td><td>permanent</td>
 *       <td>{@code NO_PERMISSIONS}</td></tr>
 *   <tr><td>any other status (400 {@code InvalidRequestContentException}, 413 {@code RequestTooLargeException},
 *       3xx, ...), or 429/5xx with a negative {@code Retry-After}</td><td>permanent</td>
 *       <td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>no answer within the timeout</td><td>retryable</td><td>{@code TIMEOUT}</td></tr>
 *   <tr><td>connection refused, reset, other I/O errors</td><td>retryable</td><td>{@code SDK_CLIENT_ERROR}</td></tr>
 * </table>
 *
 * <p>The message names Lambda's error type (from {@code X-Amzn-ErrorType} or the body's {@code Type}/{@code __type})
 * and its message, so a dead letter says why.
 */
final class LambdaOutcomes {
    static final String THROTTLING = "THROTTLING";
    static final String TIMEOUT = "TIMEOUT";
    static final String SDK_CLIENT_ERROR = "SDK_CLIENT_ERROR";
    static final String NO_RESOURCE = "NO_RESOURCE";
    static final String NO_PERMISSIONS = "NO_PERMISSIONS";

    private LambdaOutcomes() {
    }

    static DeliveryOutcome ofResponse(HttpResponse<String> response, String function, ObjectMapper json,
                                      Instant now) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return DeliveryOutcome.delivered();
        }
        String what = "Lambda answered HTTP " + status + " to the invocation of " + function + describe(response, json);
        if (status == 429 || status >= 500) {
            String code = status == 429 ? THROTTLING : SDK_CLIENT_ERROR;
            Duration after = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), now);
            if (after == null) {
                return DeliveryOutcome.retryable(code, what);
            }
            return after.isNegative() ? DeliveryOutcome.permanent(code, what + "; a negative Retry-After: not retried")
                    : DeliveryOutcome.retryableAfter(code, what, after);
        }
        return switch (status) {
            case 409 -> DeliveryOutcome.retryable(SDK_CLIENT_ERROR, what);
            case 404 -> DeliveryOutcome.permanent(NO_RESOURCE, what);
            case 401, 403 -> DeliveryOutcome.permanent(NO_PERMISSIONS, what);
            default -> DeliveryOutcome.permanent(SDK_CLIENT_ERROR, what);
        };
    }

    /** ": ResourceNotFoundException: Function not found: ..." from the header or the JSON body, or "". */
    private static String describe(HttpResponse<String> response, ObjectMapper json) {
        String type = response.headers().firstValue("X-Amzn-ErrorType").orElse(null);
        String message = null;
        JsonNode body = null;
        try {
            body = response.body() == null || response.body().isBlank() ? null : json.readTree(response.body());
        } catch (IOException e) {
            // not JSON: nothing more to say
        }
        if (body != null && body.isObject()) {
            if (type == null) {
                type = text(body, "__type", "Type", "type", "code");
            }
            message = text(body, "message", "Message", "errorMessage");
        }
        if (type != null) {
            int colon = type.indexOf(':');
            type = colon >= 0 ? type.substring(0, colon) : type; // "Name:http://internal..." form
            int hash = type.lastIndexOf('#');
            type = hash >= 0 ? type.substring(hash + 1) : type; // "namespace#Name" form
        }
        StringBuilder out = new StringBuilder();
        if (type != null && !type.isEmpty()) {
            out.append(": ").append(type);
        }
        if (message != null && !message.isEmpty()) {
            out.append(": ").append(message.length() > 500 ? message.substring(0, 500) + "..." : message);
        }
        return out.toString();
    }

    private static String text(JsonNode body, String... names) {
        for (String n : names) {
            JsonNode v = body.get(n);
            if (v != null && v.isTextual()) {
                return v.textValue();
            }
        }
        return null;
    }

    static DeliveryOutcome ofError(Throwable error, String function) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        String what = "The invocation of " + function;
        if (e instanceof HttpTimeoutException) {
            return DeliveryOutcome.retryable(TIMEOUT, what + " timed out: " + e.getMessage());
        }
        if (e instanceof IOException) {
            return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, what + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, what + " failed: " + e);
    }
}
