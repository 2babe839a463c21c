package io.busbar.core;

/**
 * A header, query-string or body parameter a connection adds to every invocation (spec 6.1).
 *
 * @param key           the parameter name
 * @param value         its value
 * @param isValueSecret whether DescribeConnection must hide the value
 */
public record HttpParameter(String key, String value, boolean isValueSecret) {
    public HttpParameter {
        Names.check("parameter.key", key, null, 1, 512);
        if (value == null) {
            throw BusbarException.validation("1 validation error detected: Value null at 'parameter.value' failed to "
                    + "satisfy constraint: Member must not be null");
        }
    }
}
