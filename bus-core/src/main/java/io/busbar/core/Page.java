package io.busbar.core;

import java.util.List;

/**
 * One page of a listing, and the token for the next page ({@code null} on the last page).
 *
 * @param items     this page's items
 * @param nextToken pass back to get the next page, or {@code null}
 * @param <T>       item type
 */
public record Page<T>(List<T> items, String nextToken) {
    public Page {
        items = List.copyOf(items);
    }
}
