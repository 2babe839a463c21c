package io.busbar.core;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a connection authorizes its invocations (spec 6.1): exactly one of basic, API key or OAuth client
 * credentials, plus parameters added to every invocation. Secrets stay inside the bus: DescribeConnection shows
 * {@link #redacted()}.
 *
 * @param type             the authorization type
 * @param basic            for BASIC
 * @param apiKey           for API_KEY
 * @param oauth            for OAUTH_CLIENT_CREDENTIALS
 * @param invocationParams headers, query parameters and body parameters added to each invocation
 */
public record ConnectionAuth(AuthorizationType type, Basic basic, ApiKey apiKey, OAuth oauth,
                             InvocationParameters invocationParams) {

    public enum AuthorizationType { BASIC, API_KEY, OAUTH_CLIENT_CREDENTIALS }

    /**
     * The model's pattern for the authorization values (user name and password, API key name and value, OAuth
     * client id and secret): they end up in HTTP headers, so no control character and no {@code :}.
     */
    public static final Pattern AUTH_VALUE =
            Pattern.compile("^[ \\t]*[^\\x00-\\x1F:\\x7F]+([ \\t]+[^\\x00-\\x1F:\\x7F]+)*[ \\t]*$");

    public ConnectionAuth {
        Objects.requireNonNull(type, "authorizationType");
        int blocks = (basic != null ? 1 : 0) + (apiKey != null ? 1 : 0) + (oauth != null ? 1 : 0);
        boolean matches = switch (type) {
            case BASIC -> basic != null;
            case API_KEY -> apiKey != null;
            case OAUTH_CLIENT_CREDENTIALS -> oauth != null;
        };
        if (blocks != 1 || !matches) {
            throw BusbarException.validation("authParameters: expected exactly the parameters of authorization type "
                    + type + " (BasicAuthParameters, ApiKeyAuthParameters or OAuthParameters, one of them)");
        }
        invocationParams = invocationParams == null ? InvocationParameters.NONE : invocationParams;
    }

    /** The same authorization with every secret value removed, as DescribeConnection shows it. */
    public ConnectionAuth redacted() {
        return new ConnectionAuth(type, basic == null ? null : new Basic(basic.username(), null),
                apiKey == null ? null : new ApiKey(apiKey.apiKeyName(), null),
                oauth == null ? null : new OAuth(oauth.clientId(), null, oauth.authorizationEndpoint(),
                        oauth.httpMethod(), oauth.oauthParams().redacted()),
                invocationParams.redacted());
    }

    /** {@code Authorization: Basic base64(username:password)}. */
    public record Basic(String username, String password) {
        public Basic {
            Names.check("authParameters.basicAuthParameters.username", username, AUTH_VALUE, 1, 512);
            if (password != null) {
                Names.checkSecret("authParameters.basicAuthParameters.password", password, AUTH_VALUE,
                        1, 512);
            }
        }
    }

    /** {@code <apiKeyName>: <apiKeyValue>}. */
    public record ApiKey(String apiKeyName, String apiKeyValue) {
        public ApiKey {
            Names.check("authParameters.apiKeyAuthParameters.apiKeyName", apiKeyName, AUTH_VALUE, 1,
                    512);
            if (apiKeyValue != null) {
                Names.checkSecret("authParameters.apiKeyAuthParameters.apiKeyValue", apiKeyValue,
                        AUTH_VALUE, 1, 512);
            }
        }
    }

    /**
     * A bearer token fetched from {@code authorizationEndpoint} with the client credentials, cached and refreshed.
     */
    public record OAuth(String clientId, String clientSecret, String authorizationEndpoint, String httpMethod,
                        InvocationParameters oauthParams) {
        public OAuth {
            Names.check("authParameters.oAuthParameters.clientParameters.clientID", clientId,
                    AUTH_VALUE, 1, 512);
            if (clientSecret != null) {
                Names.checkSecret("authParameters.oAuthParameters.clientParameters.clientSecret", clientSecret,
                        AUTH_VALUE, 1, 512);
            }
            Names.check("oAuthParameters.authorizationEndpoint", authorizationEndpoint, null, 1, 2048);
            if (!authorizationEndpoint.startsWith("https://") && !authorizationEndpoint.startsWith("http://")) {
                throw BusbarException.validation("oAuthParameters.authorizationEndpoint: " + authorizationEndpoint
                        + " (expected: an http or https URL)");
            }
            httpMethod = httpMethod == null ? "POST" : httpMethod;
            if (!List.of("GET", "POST", "PUT").contains(httpMethod)) {
                throw BusbarException.constraint("oAuthParameters.httpMethod", httpMethod,
                        "Member must satisfy enum value set: [GET, POST, PUT]");
            }
            oauthParams = oauthParams == null ? InvocationParameters.NONE : oauthParams;
        }
    }

    /** Parameters added to requests: headers, query-string parameters, body parameters. */
    public record InvocationParameters(List<HttpParameter> headers, List<HttpParameter> queryString,
                                       List<HttpParameter> body) {
        public static final InvocationParameters NONE = new InvocationParameters(List.of(), List.of(), List.of());

        public InvocationParameters {
            headers = headers == null ? List.of() : List.copyOf(headers);
            queryString = queryString == null ? List.of() : List.copyOf(queryString);
            body = body == null ? List.of() : List.copyOf(body);
        }

        InvocationParameters redacted() {
            return new InvocationParameters(hide(headers), hide(queryString), hide(body));
        }

        private static List<HttpParameter> hide(List<HttpParameter> params) {
            return params.stream()
                    .map(p -> p.isValueSecret() ? new HttpParameter(p.key(), "", true) : p)
                    .toList();
        }
    }
}
