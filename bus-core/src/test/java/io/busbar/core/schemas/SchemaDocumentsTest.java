package io.busbar.core.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaDocumentsTest {
    static final String USERS_OPENAPI = "{\"openapi\":\"3.0.0\",\"info\":{\"version\":\"1.0.0\",\"title\":\"UserCreated\"},"
            + "\"paths\":{},\"components\":{\"schemas\":{\"AWSEvent\":{\"type\":\"object\",\"required\":[\"detail-type\","
            + "\"resources\",\"detail\",\"id\",\"source\",\"time\",\"region\",\"version\",\"account\"],"
            + "\"x-amazon-events-detail-type\":\"userCreated\",\"x-amazon-events-source\":\"users\",\"properties\":{"
            + "\"detail\":{\"$ref\":\"#/components/schemas/UserCreated\"},\"account\":{\"type\":\"string\"},"
            + "\"detail-type\":{\"type\":\"string\"},\"id\":{\"type\":\"string\"},\"region\":{\"type\":\"string\"},"
            + "\"resources\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},\"source\":{\"type\":\"string\"},"
            + "\"time\":{\"type\":\"string\",\"format\":\"date-time\"},\"version\":{\"type\":\"string\"}}},"
            + "\"UserCreated\":{\"type\":\"object\",\"required\":[\"data\"],\"properties\":{\"data\":{\"$ref\":"
            + "\"#/components/schemas/Data\"}}},\"Data\":{\"type\":\"object\",\"required\":[\"id\"],\"properties\":"
            + "{\"id\":{\"type\":\"string\"}}}}}}";

    @Test
    void exportMatchesTheAwsExampleByteForByte() {
        assertEquals("{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"title\":\"UserCreated\","
                + "\"definitions\":{\"Data\":{\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"],"
                + "\"type\":\"object\"},\"UserCreated\":{\"properties\":{\"data\":{\"$ref\":\"#/definitions/Data\"}},"
                + "\"required\":[\"data\"],\"type\":\"object\"}},\"properties\":{\"account\":{\"type\":\"string\"},"
                + "\"detail\":{\"$ref\":\"#/definitions/UserCreated\"},\"detail-type\":{\"type\":\"string\"},"
                + "\"id\":{\"type\":\"string\"},\"region\":{\"type\":\"string\"},\"resources\":{\"items\":{\"type\":"
                + "\"object\"},\"type\":\"array\"},\"source\":{\"type\":\"string\"},\"time\":{\"format\":\"date-time\","
                + "\"type\":\"string\"},\"version\":{\"type\":\"string\"}},\"required\":[\"detail-type\",\"resources\","
                + "\"detail\",\"id\",\"source\",\"time\",\"region\",\"version\",\"account\"],\"type\":\"object\","
                + "\"x-amazon-events-detail-type\":\"userCreated\",\"x-amazon-events-source\":\"users\"}",
                SchemaDocuments.toJsonSchemaDraft4(USERS_OPENAPI));
    }

    @Test
    void canonicalFormIgnoresKeyAndRequiredOrder() {
        assertTrue(SchemaDocuments.sameShape("{\"a\":1,\"required\":[\"x\",\"y\"]}",
                "{\"required\":[\"y\",\"x\"],\"a\":1}"));
        assertFalse(SchemaDocuments.sameShape("{\"a\":1}", "{\"a\":2}"));
    }

    @Test
    void validatorExplainsWhyAnEventDoesNotFit() {
        SchemaValidator v = SchemaValidator.of(USERS_OPENAPI);
        String good = "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"userCreated\",\"source\":\"users\","
                + "\"account\":\"1\",\"time\":\"2022-01-20T06:58:30Z\",\"region\":\"r\",\"resources\":[],"
                + "\"detail\":{\"data\":{\"id\":\"u-1\"}}}";
        assertEquals(List.of(), v.problems(good));
        assertEquals(List.of("$.detail.data.id: an integer (expected: string)"),
                v.problems(good.replace("\"u-1\"", "7")));
        assertEquals(List.of("$.detail: missing required property \"data\""),
                v.problems(good.replace("{\"data\":{\"id\":\"u-1\"}}", "{}")));
        assertEquals(List.of("$.time: \"soon\" (expected: an RFC 3339 date-time)"),
                v.problems(good.replace("2022-01-20T06:58:30Z", "soon")));
        SchemaValidator draft4 = SchemaValidator.of(SchemaDocuments.toJsonSchemaDraft4(USERS_OPENAPI));
        assertEquals(List.of("$.detail.data.id: an integer (expected: string)"),
                draft4.problems(good.replace("\"u-1\"", "7")));
    }
}
