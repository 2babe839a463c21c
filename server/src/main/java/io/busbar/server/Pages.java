package io.busbar.server;

import io.busbar.core.BusbarException;
import io.busbar.core.Page;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Pagination for the listings the bus answers whole: {@code Limit} items (100 when absent) from the position a
 * {@code NextToken} encodes. Tokens are opaque to clients and stay valid while the listing does not shrink.
 */
final class Pages {
    private Pages() {
    }

    static <T> Page<T> page(List<T> all, Integer limit, String nextToken) {
        int size = limit == null ? 100 : limit;
        int from = 0;
        if (nextToken != null) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(BusbarException.INVALID_TOKEN, "The NextToken is not valid.");
            }
            if (from < 0 || from > all.size()) {
                throw ApiException.badRequest(BusbarException.INVALID_TOKEN, "The NextToken is not valid.");
            }
        }
        int to = Math.min(all.size(), from + size);
        String next = to < all.size()
                ? Base64.getUrlEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(from, to), next);
    }
}
