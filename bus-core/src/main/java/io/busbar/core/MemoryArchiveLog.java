package io.busbar.core;

import java.nio.charset.StandardCharsets;

/** An archive kept in memory (a bus without a data directory): each index entry holds its event's JSON. */
final class MemoryArchiveLog extends ArchiveLog {
    private static final class MemoryRef extends Ref {
        final String json;

        MemoryRef(long timeMillis, String json) {
            super(timeMillis, json.getBytes(StandardCharsets.UTF_8).length);
            this.json = json;
        }
    }

    @Override
    Ref store(long timeMillis, String json) {
        return new MemoryRef(timeMillis, json);
    }

    @Override
    String load(Ref ref) {
        return ((MemoryRef) ref).json;
    }
}
