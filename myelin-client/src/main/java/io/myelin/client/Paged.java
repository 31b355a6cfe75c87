package io.myelin.client;

import java.util.stream.Stream;

/**
 * A lazily paged listing: iterating it fetches pages from the server one at a time, following the cursor, and
 * stops when the server says there is no more. Each iteration starts again from the first page.
 *
 * <pre>{@code
 * client.axons().list(AxonFilter.all().namePrefix("build-")).stream().limit(50).forEach(System.out::println);
 * }</pre>
 *
 * <p>Threading: the object is immutable and may be shared; each iterator or stream must be used by one thread.
 *
 * @param <T> the item type
 */
public interface Paged<T> extends Iterable<T> {
    /** A sequential stream over all items, fetching pages as it is consumed. */
    Stream<T> stream();
}
