package io.busbar.targets.http;

import java.time.Instant;

/**
 * An access token from a connection's authorization endpoint. Immutable; compared by identity, so that a 401
 * answered to one token does not throw away a newer token another delivery already fetched.
 *
 * @param accessToken the token, sent as {@code Authorization: Bearer <accessToken>}
 * @param refreshAt   when to fetch a new one before using it again, or null when the endpoint gave no
 *                    {@code expires_in} (then only a 401/407 replaces it)
 */
record OAuthToken(String accessToken, Instant refreshAt) {
    boolean isFresh(Instant now) {
        return refreshAt == null || now.isBefore(refreshAt);
    }

    String authorization() {
        return "Bearer " + accessToken;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "OAuthToken[refreshAt=" + refreshAt + "]"; // never the secret
    }
}
