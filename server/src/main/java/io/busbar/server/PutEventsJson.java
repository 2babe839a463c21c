package io.busbar.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutEventsResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * PutEvents' request and answer without a JSON tree: the hottest operation skips building a {@code JsonNode} for
 * every request and answer.
 *
 * <p>Only the common shape is read here: an object whose only member is {@code Entries}, an array of objects whose
 * members are strings ({@code Source}, {@code DetailType}, {@code Detail}, {@code EventBusName},
 * {@code TraceHeader}) or an array of strings ({@code Resources}). Anything else (another member, a null, a
 * {@code Time}, a wrong type, malformed JSON) makes {@link #read} answer {@code null}, and the general path, which
 * validates every member and words each error, answers the request instead; so a request gets the same answer on
 * either path.
 */
final class PutEventsJson {
    private static final JsonFactory JSON = Json.MAPPER.getFactory();

    private PutEventsJson() {
    }

    /** The entries of a request of the common shape, or {@code null} to leave the request to the general path. */
    static List<PutEventsEntry> read(ByteBuf body) {
        try (JsonParser p = JSON.createParser((java.io.InputStream) new ByteBufInputStream(body.duplicate()))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            List<PutEventsEntry> entries = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME || !"Entries".equals(p.currentName()) || entries != null
                        || p.nextToken() != JsonToken.START_ARRAY) {
                    return null;
                }
                entries = new ArrayList<>(10);
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (e != JsonToken.START_OBJECT) {
                        return null;
                    }
                    PutEventsEntry entry = entry(p);
                    if (entry == null) {
                        return null;
                    }
                    entries.add(entry);
                }
            }
            return entries != null && p.nextToken() == null ? entries : null;
        } catch (IOException | RuntimeException e) {
            return null; // malformed: the general path words the error
        }
    }

    private static PutEventsEntry entry(JsonParser p) throws IOException {
        String source = null;
        String detailType = null;
        String detail = null;
        String bus = null;
        String trace = null;
        List<String> resources = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                return null;
            }
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("Resources".equals(name)) {
                if (v != JsonToken.START_ARRAY) {
                    return null;
                }
                resources = new ArrayList<>();
                for (JsonToken r = p.nextToken(); r != JsonToken.END_ARRAY; r = p.nextToken()) {
                    if (r != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    resources.add(p.getText());
                }
                continue;
            }
            if (v != JsonToken.VALUE_STRING) {
                return null;
            }
            switch (name) {
                case "Source" -> source = p.getText();
                case "DetailType" -> detailType = p.getText();
                case "Detail" -> detail = p.getText();
                case "EventBusName" -> bus = p.getText();
                case "TraceHeader" -> trace = p.getText();
                default -> {
                    return null;
                }
            }
        }
        return new PutEventsEntry(source, detailType, detail, resources, null, bus, trace);
    }

    /** The answer, as {@code EventOperations} would build it through a tree. */
    static byte[] write(PutEventsResult result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48 + 56 * result.entries().size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("FailedEntryCount", result.failedEntryCount());
            g.writeArrayFieldStart("Entries");
            for (PutEventsResult.Entry e : result.entries()) {
                g.writeStartObject();
                if (e.failed()) {
                    g.writeStringField("ErrorCode", e.errorCode());
                    g.writeStringField("ErrorMessage", e.errorMessage());
                } else {
                    g.writeStringField("EventId", e.eventId());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
