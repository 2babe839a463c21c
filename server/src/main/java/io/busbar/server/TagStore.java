package io.busbar.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tags of rules and event buses, by ARN. The bus has no tags of its own, so the server keeps them beside it and
 * drops a resource's tags when the resource is deleted through the API. Thread-safe.
 */
final class TagStore {
    /** AWS's limit of tags per resource. */
    static final int MAX_TAGS = 50;

    private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();

    /** The resource's tags in the order they were first set. */
    Map<String, String> get(String arn) {
        Map<String, String> t = tags.get(arn);
        if (t == null) {
            return Map.of();
        }
        synchronized (t) {
            return new LinkedHashMap<>(t);
        }
    }

    /** Adds or overwrites tags; refuses a resource that would have more than {@value #MAX_TAGS}. */
    void put(String arn, Map<String, String> added) {
        if (added.isEmpty()) {
            return;
        }
        Map<String, String> t = tags.computeIfAbsent(arn, a -> new LinkedHashMap<>());
        synchronized (t) {
            Map<String, String> next = new LinkedHashMap<>(t);
            next.putAll(added);
            if (next.size() > MAX_TAGS) {
                throw ApiException.badRequest(ApiException.LIMIT_EXCEEDED,
                        "The requested resource exceeds the maximum number allowed.");
            }
            t.putAll(added);
        }
    }

    void remove(String arn, List<String> keys) {
        Map<String, String> t = tags.get(arn);
        if (t != null) {
            synchronized (t) {
                keys.forEach(t::remove);
            }
        }
    }

    /** Forgets a deleted resource. */
    void drop(String arn) {
        tags.remove(arn);
    }
}
