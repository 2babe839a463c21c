package io.busbar.targets.http;

import io.busbar.testing.ManualClock;
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
class ApiDestinationTargetProviderTest {
    private static final String ARN = "arn:aws:events:us-east-1:123456789012:api-destination/orders/0a1b-2c3d";
    private final ApiDestinationTargetProvider provider = new ApiDestinationTargetProvider();
    private final TestEnvironment env = new TestEnvironment(new ManualClock(TestEnvironment.T0), Map.of());

    @Test
    void isFoundByTheServiceLoader() {
        assertTrue(ServiceLoader.load(TargetProvider.class).stream()
                .anyMatch(p -> p.type() == ApiDestinationTargetProvider.class));
    }

    @Test
    void takesApiDestinationArnsEvenBeforeTheDestinationExists() {
        assertTrue(provider.create(new TargetSpec(ARN, Map.of()), env).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "arn:aws:events:us-east-1:123456789012:event-bus/default",
        "arn:aws:events:us-east-1:123456789012:connection/c/0a1b",
        "arn:aws:lambda:us-east-1:123456789012:function:f",
        "arn:aws:events:us-east-1:123456789012:api-destination/no-uuid",
    })
    void leavesOtherArnsToOtherProviders(String arn) {
        assertTrue(provider.create(new TargetSpec(arn, Map.of()), env).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json                                              | HttpParameters: not valid JSON",
        "[]                                                    | HttpParameters: [] (expected: a JSON object)",
        "{\"Headers\":{}}                                      | HttpParameters.Headers: unknown member",
        "{\"PathParameterValues\":\"a\"}                       | HttpParameters.PathParameterValues: \"a\"",
        "{\"PathParameterValues\":[\" \"]}                     | HttpParameters.PathParameterValues[0]: \" \"",
        "{\"PathParameterValues\":[\"$.detail[x]\"]}           | HttpParameters.PathParameterValues[0]: $.detail[x]",
        "{\"HeaderParameters\":{\"bad header\":\"v\"}}         | HttpParameters.HeaderParameters.bad header: invalid",
        "{\"HeaderParameters\":{\"Host\":\"evil\"}}            | HttpParameters.HeaderParameters.Host: a header the",
        "{\"HeaderParameters\":{\"X-A\":1}}                    | HttpParameters.HeaderParameters.X-A: 1",
        "{\"HeaderParameters\":{\"X-A\":\"a\\nb\"}}            | HttpParameters.HeaderParameters.X-A:",
        "{\"HeaderParameters\":{\"X-A\":\"1\",\"x-a\":\"2\"}}  | HttpParameters.HeaderParameters.x-a: given twice",
        "{\"QueryStringParameters\":{\"k\":\"\"}}              | HttpParameters.QueryStringParameters.k: \"\"",
    })
    void rejectsInvalidHttpParametersNamingTheField(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new TargetSpec(ARN, Map.of("HttpParameters", json)), env));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "busbar.http.timeoutMillis, 0",
        "busbar.http.timeoutMillis, 5s",
        "busbar.http.maxRateLimitDelayMillis, -1",
    })
    void rejectsInvalidPropertiesNamingThem(String name, String value) {
        TestEnvironment bad = new TestEnvironment(new ManualClock(TestEnvironment.T0), Map.of(name, value));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new TargetSpec(ARN, Map.of()), bad));
        assertEquals(name + ": " + value + " (expected: a whole number of milliseconds from "
                + ("busbar.http.timeoutMillis".equals(name) ? 1 : 0) + " to 86400000)", e.getMessage());
    }
}
