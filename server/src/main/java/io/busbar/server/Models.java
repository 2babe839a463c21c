package io.busbar.server;

import java.util.List;
import java.util.regex.Pattern;

/** The API model's constraints that the readers check, spelled as AWS prints them in its messages. */
final class Models {
    /** Rule names, target ids, connection and API destination names. */
    static final Pattern NAME = Pattern.compile("[\\.\\-_A-Za-z0-9]+");
    /** CreateEventBus names. */
    static final Pattern BUS_NAME = Pattern.compile("[/\\.\\-_A-Za-z0-9]+");
    /** Bus members that take a name or an ARN. */
    static final Pattern BUS_NAME_OR_ARN = Pattern.compile(
            "(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+");
    /** EventSourceArn, Destination.Arn and FilterArns of archives and replays (the model's Arn shape). */
    static final Pattern ARN = Pattern.compile("^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:.+\\/.+$");
    static final List<String> ARCHIVE_STATES = List.of("ENABLED", "DISABLED", "CREATING", "UPDATING",
            "CREATE_FAILED", "UPDATE_FAILED");
    static final List<String> REPLAY_STATES = List.of("STARTING", "RUNNING", "CANCELLING", "COMPLETED", "CANCELLED",
            "FAILED");
    static final List<String> RULE_STATES = List.of("ENABLED", "DISABLED",
            "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    static final List<String> AUTHORIZATION_TYPES = List.of("BASIC", "OAUTH_CLIENT_CREDENTIALS", "API_KEY");
    static final List<String> HTTP_METHODS = List.of("POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE");
    static final List<String> OAUTH_HTTP_METHODS = List.of("GET", "POST", "PUT");

    private Models() {
    }

    /** The optional {@code EventBusName} member (name or ARN) that most rule and target operations take. */
    static String eventBusName(Shape in) {
        return in.string("EventBusName", 1, 1600, BUS_NAME_OR_ARN);
    }

    /** The optional {@code Limit} member of the listing operations. */
    static Integer limit(Shape in) {
        return in.integer("Limit", 1, 100);
    }

    static String nextToken(Shape in) {
        return in.string("NextToken", 1, 2048, null);
    }
}
