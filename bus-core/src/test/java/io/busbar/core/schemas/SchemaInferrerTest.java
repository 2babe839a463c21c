package io.busbar.core.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SchemaInferrerTest {
    private static String event(String source, String detailType, String resources, String detail) {
        return "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"" + detailType + "\",\"source\":\"" + source
                + "\",\"account\":\"123456789012\",\"time\":\"2022-01-20T06:58:30Z\",\"region\":\"us-west-1\","
                + "\"resources\":" + resources + ",\"detail\":" + detail + "}";
    }

    private static JsonNode tree(String s) throws Exception {
        return SchemaDocuments.MAPPER.readTree(s);
    }

    private static JsonNode components(SchemaInferrer i) throws Exception {
        return tree(i.openApi()).path("components").path("schemas");
    }

    @Test
    void matchesTheAwsExampleExactly() {
        String doc = SchemaInferrer.create().add(event("users", "userCreated", "[]", "{\"data\":{\"id\":\"u-1\"}}"))
                .openApi();
        assertEquals("{\"openapi\":\"3.0.0\",\"info\":{\"version\":\"1.0.0\",\"title\":\"UserCreated\"},\"paths\":{},"
                + "\"components\":{\"schemas\":{"
                + "\"AWSEvent\":{\"type\":\"object\",\"required\":[\"detail-type\",\"resources\",\"detail\",\"id\","
                + "\"source\",\"time\",\"region\",\"version\",\"account\"],\"x-amazon-events-detail-type\":\"userCreated\","
                + "\"x-amazon-events-source\":\"users\",\"properties\":{\"detail\":{\"$ref\":\"#/components/schemas/"
                + "UserCreated\"},\"account\":{\"type\":\"string\"},\"detail-type\":{\"type\":\"string\"},\"id\":{\"type\":"
                + "\"string\"},\"region\":{\"type\":\"string\"},\"resources\":{\"type\":\"array\",\"items\":{\"type\":"
                + "\"object\"}},\"source\":{\"type\":\"string\"},\"time\":{\"type\":\"string\",\"format\":\"date-time\"},"
                + "\"version\":{\"type\":\"string\"}}},"
                + "\"UserCreated\":{\"type\":\"object\",\"required\":[\"data\"],\"properties\":{\"data\":{\"$ref\":"
                + "\"#/components/schemas/Data\"}}},"
                + "\"Data\":{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{\"id\":{\"type\":\"string\"}}}}}}",
                doc);
    }

    @Test
    void stepFunctionsExampleTypes() throws Exception {
        SchemaInferrer i = SchemaInferrer.create().add(event("aws.states", "Step Functions Execution Status Change",
                "[\"arn:x\"]", "{\"name\":\"n\",\"startDate\":1551225146847,\"output\":null,\"input\":\"{}\"}"));
        JsonNode c = components(i);
        assertEquals("aws.states@StepFunctionsExecutionStatusChange", i.schemaName());
        JsonNode d = c.get("StepFunctionsExecutionStatusChange");
        assertEquals("{\"type\":\"integer\",\"format\":\"int64\"}", d.at("/properties/startDate").toString());
        assertEquals("{}", d.at("/properties/output").toString());
        assertTrue(d.get("required").toString().contains("output"));
        assertEquals("string", c.at("/AWSEvent/properties/resources/items/type").asText());
    }

    @Test
    void integerAndNumberWidenToNumberAndOtherMixesBecomeAny() throws Exception {
        SchemaInferrer i = SchemaInferrer.create()
                .add(event("s", "t", "[]", "{\"n\":1,\"m\":\"a\",\"list\":[1,2.5]}"))
                .add(event("s", "t", "[]", "{\"n\":2.5,\"m\":3,\"list\":[3]}"));
        JsonNode d = components(i).get("T");
        assertEquals("{\"type\":\"number\",\"format\":\"double\"}", d.at("/properties/n").toString());
        assertEquals("{}", d.at("/properties/m").toString());
        assertEquals("number", d.at("/properties/list/items/type").asText());
    }

    @Test
    void arraysOfMixedObjectsMergeIntoOneItemComponent() throws Exception {
        SchemaInferrer i = SchemaInferrer.create().add(event("shop", "Order Placed", "[]",
                "{\"lines\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\",\"gift\":true}]}"));
        JsonNode c = components(i);
        assertEquals("#/components/schemas/LinesItem", c.at("/OrderPlaced/properties/lines/items/$ref").asText());
        JsonNode item = c.get("LinesItem");
        assertEquals("[\"sku\"]", item.get("required").toString());
        assertEquals("boolean", item.at("/properties/gift/type").asText());
        assertEquals("integer", item.at("/properties/qty/type").asText());
    }

    @Test
    void eventsThatDisagreeKeepOnlyCommonKeysRequired() throws Exception {
        SchemaInferrer i = SchemaInferrer.create()
                .add(event("s", "t", "[]", "{\"a\":1,\"b\":\"x\"}"))
                .add(event("s", "t", "[]", "{\"a\":2,\"c\":{\"d\":true}}"));
        JsonNode d = components(i).get("T");
        assertEquals("[\"a\"]", d.get("required").toString());
        assertTrue(d.get("properties").has("b") && d.get("properties").has("c"));
        assertEquals(2, i.samples());
    }

    @Test
    void eventsOfAnotherTypeAreRefused() {
        SchemaInferrer i = SchemaInferrer.create().add(event("s", "t", "[]", "{}"));
        SchemaException e = assertThrows(SchemaException.class, () -> i.add(event("s", "u", "[]", "{}")));
        assertEquals(SchemaException.BAD_REQUEST, e.errorType());
        assertThrows(SchemaException.class, () -> i.add("{\"plain\":1}"));
        assertThrows(SchemaException.class, () -> i.add("not json"));
    }

    @Test
    void deepNestingNamesEachLevelAndStopsAtTheDepthLimit() throws Exception {
        StringBuilder deep = new StringBuilder();
        for (int k = 0; k < 300; k++) {
            deep.append("{\"x\":");
        }
        deep.append("1");
        deep.append("}".repeat(300));
        SchemaInferrer i = SchemaInferrer.create().add(event("s", "t", "[]", deep.toString()));
        JsonNode c = components(i);
        assertTrue(c.has("X") && c.has("X1") && c.has("X2"), c.toString().substring(0, 200));
        assertTrue(c.size() < 260, "components: " + c.size());
    }

    @Test
    void sameNestedShapeSharesAComponentAndADifferentOneGetsASuffix() throws Exception {
        JsonNode c = components(SchemaInferrer.create().add(event("s", "t", "[]",
                "{\"a\":{\"data\":{\"id\":1}},\"b\":{\"data\":{\"id\":2}},\"e\":{\"data\":{\"name\":\"n\"}}}")));
        assertEquals("#/components/schemas/Data", c.at("/A/properties/data/$ref").asText());
        assertEquals("#/components/schemas/Data", c.at("/B/properties/data/$ref").asText());
        assertEquals("#/components/schemas/Data1", c.at("/E/properties/data/$ref").asText());
    }

    @Test
    void unicodeFieldNamesAreKeptAsPropertiesAndComponentsGetAsciiNames() throws Exception {
        JsonNode c = components(SchemaInferrer.create().add(event("s", "t", "[]",
                "{\"prénom\":\"é\",\"名前\":{\"姓\":\"山田\"},\"adresse_1\":{\"rue\":\"x\"}}")));
        JsonNode d = c.get("T");
        assertEquals("string", d.at("/properties/prénom/type").asText());
        assertEquals("#/components/schemas/Object", d.get("properties").get("名前").get("$ref").asText());
        assertEquals("string", c.get("Object").get("properties").get("姓").get("type").asText());
        assertTrue(c.has("Adresse1"));
    }

    @Test
    void dateTimeFormatOnlyWhenAskedAndEveryValueParses() throws Exception {
        String e1 = event("s", "t", "[]", "{\"at\":\"2024-01-01T10:00:00Z\",\"mixed\":\"2024-01-01T10:00:00+02:00\"}");
        String e2 = event("s", "t", "[]", "{\"at\":\"2024-02-01T10:00:00.123Z\",\"mixed\":\"yesterday\"}");
        JsonNode plain = components(SchemaInferrer.create().add(e1).add(e2)).get("T");
        assertFalse(plain.at("/properties/at").has("format"));
        JsonNode f = components(SchemaInferrer.withDateTimeFormats().add(e1).add(e2)).get("T");
        assertEquals("date-time", f.at("/properties/at/format").asText());
        assertFalse(f.at("/properties/mixed").has("format"));
    }

    @Test
    void plainJsonObjectsGiveAnEventDocumentWithoutWrapper() throws Exception {
        JsonNode doc = tree(SchemaInferrer.create().add("{\"Source\":\"a\",\"Resources\":[\"r\"]}").openApi());
        assertEquals("Event", doc.at("/info/title").asText());
        JsonNode c = doc.at("/components/schemas");
        assertEquals(1, c.size());
        assertEquals("string", c.at("/Event/properties/Resources/items/type").asText());
    }

    @Test
    void namingRuleSplitsOnWhitespaceOnly() {
        assertEquals("aws.account@RegionOpt-InStatusChange",
                SchemaDocuments.discoveredSchemaName("aws.account", "Region Opt-In Status Change"));
        assertEquals("order@NewOrder", SchemaDocuments.discoveredSchemaName("order", "NewOrder"));
        assertEquals("users@UserCreated", SchemaDocuments.discoveredSchemaName("users", "userCreated"));
    }
}
