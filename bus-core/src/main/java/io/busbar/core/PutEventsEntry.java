package io.busbar.core;

import java.time.Instant;
import java.util.List;

/**
 * One entry of a PutEvents call (spec 1.2). Deliberately not validated on construction: a bad entry is an
 * expected outcome answered per entry ({@code InvalidArgument}, {@code MalformedDetail}) while the good entries of
 * the same call go through.
 *
 * @param source       becomes {@code source}; required
 * @param detailType   becomes {@code detail-type}; required
 * @param detail       a JSON object as text; becomes {@code detail}; required
 * @param resources    ARNs; {@code null} means none
 * @param time         the event time; {@code null} means the time of the call
 * @param eventBusName the bus by name or ARN; {@code null} means {@code default}
 * @param traceHeader  an X-Ray trace header carried to the targets, or {@code null}
 */
public record PutEventsEntry(String source, String detailType, String detail, List<String> resources, Instant time,
                             String eventBusName, String traceHeader) {

    /** An entry for the default bus, with no resources, stamped with the time of the call. */
    public static PutEventsEntry of(String source, String detailType, String detail) {
        return new PutEventsEntry(source, detailType, detail, null, null, null, null);
    }

    /** The same entry for another bus. */
    public PutEventsEntry onBus(String busNameOrArn) {
        return new PutEventsEntry(source, detailType, detail, resources, time, busNameOrArn, traceHeader);
    }
}
