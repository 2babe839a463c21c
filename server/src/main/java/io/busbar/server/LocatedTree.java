package io.busbar.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON tree read from a parser (JSON or YAML) together with the line where each value starts, keyed by JSON
 * pointer ({@code ""} for the root, {@code /rules/1/eventPattern}; a member's line is its key's), so that configuration errors can name their
 * line. Duplicate keys are rejected rather than silently overwritten.
 *
 * @param root  the document, or null when the file is empty
 * @param lines 1-based line of each value
 */
record LocatedTree(JsonNode root, Map<String, Integer> lines) {

    /** @throws ConfigException with the file name and line for malformed input or a duplicate key */
    static LocatedTree read(String fileName, JsonParser parser) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        JsonToken first = parser.nextToken();
        if (first == null) {
            return new LocatedTree(null, lines);
        }
        JsonNode root = value(fileName, parser, "", lines);
        if (parser.nextToken() != null) {
            throw new ConfigException(fileName + ":" + parser.currentTokenLocation().getLineNr()
                    + ": expected a single document");
        }
        return new LocatedTree(root, lines);
    }

    private static JsonNode value(String fileName, JsonParser p, String pointer, Map<String, Integer> lines)
            throws IOException {
        lines.put(pointer, p.currentTokenLocation().getLineNr());
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = Json.object();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int line = p.currentTokenLocation().getLineNr();
                    p.nextToken();
                    if (o.has(name)) {
                        throw new ConfigException(fileName + ":" + line + ": "
                                + (pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.') + ".") + name
                                + ": duplicate key");
                    }
                    String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                    o.set(name, value(fileName, p, child, lines));
                    lines.put(child, line); // a member is where its key is, also when its value is a block below

                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = Json.NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(fileName, p, pointer + "/" + i++, lines));
                }
                return a;
            }
            case VALUE_STRING -> {
                return Json.NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> Json.NODES.numberNode(p.getIntValue());
                    case LONG -> Json.NODES.numberNode(p.getLongValue());
                    default -> Json.NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return DecimalNode.valueOf(p.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return Json.NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return Json.NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return Json.NODES.nullNode();
            }
            default -> throw new ConfigException(fileName + ":" + p.currentTokenLocation().getLineNr()
                    + ": unexpected " + p.currentToken());
        }
    }
}
