package io.busbar.core;

import java.util.regex.Pattern;

/**
 * A header, query-string or body parameter a connection adds to every invocation (spec 6.1).
 *
 * @param key           the parameter name
 * @param value         its value
 * @param isValueSecret whether DescribeConnection must hide the value
 */
public record HttpParameter(String key, String value, boolean isValueSecret) {
    /** The model's pattern for a header name: an HTTP token. */
    public static final Pattern HEADER_KEY = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9a-zA-Z]+");
    /** The model's pattern for a header value: printable ASCII, so no value can end a header and start another. */
    public static final Pattern HEADER_VALUE = Pattern.compile("[ \\t]*[\\x20-\\x7E]+([ \\t]+[\\x20-\\x7E]+)*[ \\t]*");
    /** The model's pattern for a query-string or body parameter name: no control characters. */
    public static final Pattern QUERY_KEY = Pattern.compile("[^\\x00-\\x1F\\x7F]+");
    /** The model's pattern for a query-string or body parameter value: no control characters but tab, LF and CR. */
    public static final Pattern QUERY_VALUE = Pattern.compile("[^\\x00-\\x09\\x0B\\x0C\\x0E-\\x1F\\x7F]+");

    public HttpParameter {
        Names.check("parameter.key", key, null, 1, 512);
        if (value == null) {
            throw BusbarException.validation("1 validation error detected: Value null at 'parameter.value' failed to "
                    + "satisfy constraint: Member must not be null");
        }
    }
}
