package io.busbar.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;

/** The server's one Jackson mapper and the AWS JSON 1.1 spellings of values. */
final class Json {
    /** Strict about what follows the document: {@code {} junk} is not a request body. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A timestamp as AWS JSON 1.1 writes it: epoch seconds, a number with millisecond fraction. */
    static JsonNode timestamp(Instant instant) {
        // DecimalNode directly: the factory would strip the zeros and print 1767225600.000 as 1.7672256E+9
        return DecimalNode.valueOf(BigDecimal.valueOf(instant.toEpochMilli(), 3));
    }

    /** Puts a member only when it has a value: the protocol omits absent members instead of writing null. */
    static void putIfPresent(ObjectNode node, String member, String value) {
        if (value != null) {
            node.put(member, value);
        }
    }

    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree: " + e.getMessage(), e);
        }
    }
}
