package io.busbar.targets.lambda;

import io.busbar.targets.testing.TestEnvironment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.spi.TargetProvider;
import io.busbar.core.spi.TargetSpec;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which ARNs the provider takes, and how it rejects bad configuration (naming the field). */
class LambdaTargetProviderTest {
    private final LambdaTargetProvider provider = new LambdaTargetProvider();
    private final TestEnvironment configured = new TestEnvironment(
            Map.of(LambdaTargetProvider.ENDPOINT_PROPERTY, "http://localhost:4566/"));

    @Test
    void isFoundByTheServiceLoader() {
        assertTrue(ServiceLoader.load(TargetProvider.class).stream()
                .anyMatch(p -> p.type() == LambdaTargetProvider.class));
    }

    @Test
    void takesFunctionArnsOnlyWhenAnEndpointIsConfigured() {
        String arn = "arn:aws:lambda:us-east-1:123456789012:function:orders";
        assertTrue(provider.create(new TargetSpec(arn, Map.of()), new TestEnvironment(Map.of())).isEmpty());
        LambdaTarget t = (LambdaTarget) provider.create(new TargetSpec(arn, Map.of()), configured).orElseThrow();
        assertEquals("http://localhost:4566/2015-03-31/functions/orders/invocations", t.uri().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "arn:aws:sqs:us-east-1:123456789012:queue",
        "arn:aws:events:us-east-1:123456789012:event-bus/default",
        "arn:aws:lambda:us-east-1:123456789012:layer:x:1",
    })
    void leavesOtherArnsToOtherProviders(String arn) {
        assertTrue(provider.create(new TargetSpec(arn, Map.of()), configured).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "arn:aws:lambda:us-east-1:123456789012:function:",
        "arn:aws:lambda:us-east-1:123456789012:function:has space",
        "arn:aws:lambda:us-east-1:123456789012:function:f:",
        "arn:aws:lambda:us-east-1:123456789012:function:f:bad/qualifier",
        "arn:aws:lambda:us-east-1:123456789012:function:f:1:2",
    })
    void rejectsFunctionArnsThatBreakLambdasNamingRules(String arn) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new TargetSpec(arn, Map.of()), configured));
        assertTrue(e.getMessage().startsWith("Arn: " + arn + " (expected:"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "busbar.lambda.endpoint, localhost:4566",
        "busbar.lambda.endpoint, ftp://localhost",
        "busbar.lambda.endpoint, http://localhost:4566/?x=1",
        "busbar.lambda.timeoutMillis, 0",
        "busbar.lambda.timeoutMillis, soon",
    })
    void rejectsInvalidPropertiesNamingThem(String name, String value) {
        Map<String, String> props = new java.util.HashMap<>(Map.of(LambdaTargetProvider.ENDPOINT_PROPERTY,
                "http://localhost:4566"));
        props.put(name, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.create(
                new TargetSpec("arn:aws:lambda:us-east-1:123456789012:function:f", Map.of()),
                new TestEnvironment(props)));
        assertTrue(e.getMessage().startsWith(name + ": " + value + " (expected: "), e.getMessage());
    }
}
