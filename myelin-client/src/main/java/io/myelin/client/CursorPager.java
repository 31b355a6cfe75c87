package io.myelin.client;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Follows a cursor-paginated listing: fetch a page, hand out its items, fetch the next page after the last
 * item's cursor while the server reports more.
 *
 * @param <T> item type
 * @param <C> cursor type
 */
final class CursorPager<T, C> implements Paged<T> {
    record Page<T>(List<T> items, boolean hasMore) {
    }

    private final Function<C, Page<T>> fetch;
    private final Function<T, C> cursorOf;

    /**
     * @param fetch    fetches the page after a cursor ({@code null}: the first page)
     * @param cursorOf the cursor that follows an item
     */
    CursorPager(Function<C, Page<T>> fetch, Function<T, C> cursorOf) {
        this.fetch = fetch;
        this.cursorOf = cursorOf;
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private Iterator<T> current = List.<T>of().iterator();
            private C cursor;
            private boolean more = true;

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && more) {
                    Page<T> page = fetch.apply(cursor);
                    // An empty page that claims more would loop forever; treat it as the end.
                    more = page.hasMore() && !page.items().isEmpty();
                    if (!page.items().isEmpty()) {
                        cursor = cursorOf.apply(page.items().getLast());
                    }
                    current = page.items().iterator();
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    @Override
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}
