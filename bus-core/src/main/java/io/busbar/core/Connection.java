package io.busbar.core;

import java.time.Instant;

/**
 * A connection: the authorization an API destination uses (spec 6.1).
 *
 * @param name           1–64 characters {@code [.\-_A-Za-z0-9]+}
 * @param arn            {@code arn:aws:events:<region>:<account>:connection/<name>/<uuid>}
 * @param description    ≤ 512 characters, or {@code null}
 * @param auth           the authorization, secrets included (the server shows {@link ConnectionAuth#redacted()})
 * @param state          {@code AUTHORIZED} for basic and API key, {@code AUTHORIZING} for OAuth until a token is had
 * @param created        creation time
 * @param lastModified   last change
 * @param lastAuthorized when the authorization was last set (created or replaced); {@code null} means
 *                       {@code lastModified}, as for a connection stored before this was kept
 */
public record Connection(String name, String arn, String description, ConnectionAuth auth, String state,
                         Instant created, Instant lastModified, Instant lastAuthorized) {
    public Connection {
        lastAuthorized = lastAuthorized == null ? lastModified : lastAuthorized;
    }
}
