package io.busbar.core.schemas;

/** The two schema document types of the Schema Registry, spelled as on the wire. */
public enum SchemaType {
    OpenApi3, JSONSchemaDraft4;

    /** Parses the wire spelling; {@code BadRequestException} names the field otherwise. */
    public static SchemaType parse(String field, String value) {
        for (SchemaType t : values()) {
            if (t.name().equals(value)) {
                return t;
            }
        }
        throw SchemaException.badRequest(field + ": " + value + " (expected: OpenApi3 or JSONSchemaDraft4)");
    }
}
