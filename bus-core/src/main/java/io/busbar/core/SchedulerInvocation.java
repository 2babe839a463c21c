package io.busbar.core;

import io.busbar.core.scheduler.EventBridgeParameters;
import io.busbar.core.spi.Delivery;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One invocation of an EventBridge Scheduler schedule on its way through the {@link Dispatcher}: renders each
 * attempt's payload with the context attributes (SCHEDULER 3.3), writes the Scheduler's dead-letter attributes
 * (SCHEDULER 4), and reports the end of the invocation once (for {@code ActionAfterCompletion DELETE}).
 *
 * <p>Implementation notes: the context attributes are plain string replacement (their values hold no quotes, so
 * JSON input stays JSON). Execution ids are derived from the invocation's random base and the attempt number by a
 * 64-bit mix, so each attempt has its own 16-character id and the dead-letter message can name the failed one
 * without state. Thread-safe.
 */
final class SchedulerInvocation implements Dispatcher.AttemptHook {
    static final String ARN_TOKEN = "<aws.scheduler.schedule-arn>";
    static final String TIME_TOKEN = "<aws.scheduler.scheduled-time>";
    static final String EXECUTION_TOKEN = "<aws.scheduler.execution-id>";
    static final String ATTEMPT_TOKEN = "<aws.scheduler.attempt-number>";

    private final String scheduleArn;
    private final String targetArn;
    private final String scheduledTime;
    private final long base;
    private final String input;
    private final EventBridgeParameters bus;
    private final Clock clock;
    private final String account;
    private final String region;
    private final Runnable onFinished;
    private final AtomicBoolean finished = new AtomicBoolean();

    /**
     * @param nominal    the scheduled time, before any flexible-window offset
     * @param input      the target's input with the tokens still in it
     * @param bus        the event bus entry's parameters, or null when the target is not a bus
     * @param onFinished run once when the invocation ends
     */
    SchedulerInvocation(String scheduleArn, String targetArn, Instant nominal, long base, String input,
                        EventBridgeParameters bus, Clock clock, String account, String region, Runnable onFinished) {
        this.scheduleArn = scheduleArn;
        this.targetArn = targetArn;
        this.scheduledTime = DateTimeFormatter.ISO_INSTANT.format(nominal.truncatedTo(ChronoUnit.SECONDS));
        this.base = base;
        this.input = input;
        this.bus = bus;
        this.clock = clock;
        this.account = account;
        this.region = region;
        this.onFinished = onFinished;
    }

    /** The id of attempt {@code n}: 16 lowercase hex characters. */
    String executionId(int attempt) {
        long z = base + attempt * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return String.format("%016x", z);
    }

    String render(int attempt) {
        return input.replace(ARN_TOKEN, scheduleArn)
                .replace(TIME_TOKEN, scheduledTime)
                .replace(EXECUTION_TOKEN, executionId(attempt))
                .replace(ATTEMPT_TOKEN, String.valueOf(attempt));
    }

    @Override
    public Delivery attempt(Delivery d) {
        String payload = render(d.attempt());
        String eventJson = payload;
        if (bus != null) {
            eventJson = Envelope.json(Busbar.newEventId(), bus.detailType(), bus.source(), account, clock.instant(),
                    region, null, List.of(), payload);
        }
        return new Delivery(payload, eventJson, executionId(d.attempt()), d.busName(), d.ruleName(), d.ruleArn(),
                d.targetId(), d.targetArn(), d.attempt(), d.ingestionTime(), d.traceHeader(), d.messageAttributes());
    }

    /**
     * SCHEDULER 3.4: {@code min(2^(n-1), 300)} seconds before retry {@code n}, plus up to 20% jitter. Unlike a rule
     * delivery's full jitter, the wait never falls below the exponential step.
     */
    @Override
    public long retryDelayMillis(int attempt, java.util.random.RandomGenerator random) {
        long step = Math.min(1_000L << Math.min(attempt - 1, 20), 300_000L);
        return step + random.nextLong(step / 5 + 1);
    }

    @Override
    public Map<String, String> deadLetterAttributes(Delivery d, String code, String message, String exhausted) {
        Map<String, String> a = new HashMap<>();
        a.put("ERROR_CODE", code == null ? "AWS.Scheduler.InternalServerError" : code);
        a.put("ERROR_MESSAGE", message == null ? "Unexpected error occurred while processing the request" : message);
        a.put("EXECUTION_ID", executionId(d.attempt()));
        if (exhausted != null) {
            a.put("EXHAUSTED_RETRY_CONDITION", exhausted);
        }
        a.put("IS_PAYLOAD_TRUNCATED", "false");
        a.put("RETRY_ATTEMPTS", String.valueOf(d.attempt() - 1));
        a.put("SCHEDULED_TIME", scheduledTime);
        a.put("SCHEDULE_ARN", scheduleArn);
        a.put("TARGET_ARN", targetArn);
        return a;
    }

    @Override
    public void finished(Delivery d, boolean delivered) {
        if (finished.compareAndSet(false, true)) {
            onFinished.run();
        }
    }
}
