package io.busbar.targets.lambda;

import io.busbar.testing.LocalServer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Invoke route over a {@link LocalServer}: {@code POST /2015-03-31/functions/<name>/invocations} answers
 * 202 for a known function invoked with {@code X-Amz-Invocation-Type: Event} and 404
 * {@code ResourceNotFoundException} for an unknown one, in Lambda's error format. A test may override the answer
 * per function.
 */
final class FakeLambda {
    private static final Pattern ROUTE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

    final LocalServer server;
    private final Set<String> functions = ConcurrentHashMap.newKeySet();
    private final Map<String, Function<LocalServer.Request, LocalServer.Response>> overrides =
            new ConcurrentHashMap<>();

    FakeLambda() throws java.io.IOException {
        server = new LocalServer();
        server.respond(this::invoke);
    }

    FakeLambda function(String name) {
        functions.add(name);
        return this;
    }

    FakeLambda answer(String name, Function<LocalServer.Request, LocalServer.Response> answer) {
        functions.add(name);
        overrides.put(name, answer);
        return this;
    }

    private LocalServer.Response invoke(LocalServer.Request r) {
        Matcher m = ROUTE.matcher(r.path());
        if (!"POST".equals(r.method()) || !m.matches()) {
            return LocalServer.Response.json(404, "{\"message\":\"no such route\"}");
        }
        String name = m.group(1);
        if (!functions.contains(name)) {
            return new LocalServer.Response(404, Map.of("X-Amzn-ErrorType", "ResourceNotFoundException:http://x/",
                    "Content-Type", "application/json"), "{\"Type\":\"User\",\"message\":\"Function not found: "
                    + "arn:aws:lambda:us-east-1:123456789012:function:" + name + "\"}");
        }
        Function<LocalServer.Request, LocalServer.Response> o = overrides.get(name);
        if (o != null) {
            return o.apply(r);
        }
        if (!"Event".equals(r.header("X-Amz-Invocation-Type"))) {
            return LocalServer.Response.json(200, "{}"); // a synchronous invocation: not what the target should send
        }
        return LocalServer.Response.of(202);
    }

    String url() {
        return server.url("");
    }

    void close() {
        server.close();
    }
}
