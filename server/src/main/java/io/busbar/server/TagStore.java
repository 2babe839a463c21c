package io.busbar.server;

import io.busbar.core.Busbar;
import io.busbar.core.BusbarException;
import java.util.List;
import java.util.Map;

/**
 * Tags of rules and event buses, by ARN, kept by the bus (so they are stored with its control plane). This adapter
 * turns the bus's refusals into API errors; a deleted rule's or bus's tags are dropped by the bus itself.
 */
final class TagStore {
    private final Busbar busbar;

    TagStore(Busbar busbar) {
        this.busbar = busbar;
    }

    /** The resource's tags in the order they were first set. */
    Map<String, String> get(String arn) {
        return busbar.tags(arn);
    }

    /** Adds or overwrites tags; refuses a resource that would have more than 50. */
    void put(String arn, Map<String, String> added) {
        if (added.isEmpty()) {
            return;
        }
        try {
            busbar.tagResource(arn, added);
        } catch (BusbarException e) {
            throw ApiException.badRequest(e.errorCode(), e.getMessage());
        }
    }

    void remove(String arn, List<String> keys) {
        busbar.untagResource(arn, keys);
    }

    /** Forgets a deleted resource's tags. */
    void drop(String arn) {
        Map<String, String> t = busbar.tags(arn);
        if (!t.isEmpty()) {
            busbar.untagResource(arn, List.copyOf(t.keySet()));
        }
    }
}
