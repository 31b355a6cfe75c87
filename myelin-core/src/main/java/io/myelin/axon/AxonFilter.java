package io.myelin.axon;

import java.util.List;
import java.util.Map;

/**
 * A list request. Every filter is optional ({@code null}/empty: not applied) and they combine with AND.
 *
 * @param id             exact axon id
 * @param namePrefix     axon name starts with this
 * @param search         id or name contains this
 * @param metadataEquals metadata[key] equals value, for each entry
 * @param metadataIn     metadata[key] is one of the values, for each entry
 * @param startingAfter  cursor: the id of the last axon of the previous page
 * @param limit          page size
 * @param includeTotal   whether to count every match (costs one more query)
 */
public record AxonFilter(String id, String namePrefix, String search, Map<String, String> metadataEquals,
                         Map<String, List<String>> metadataIn, String startingAfter, int limit, boolean includeTotal) {}
