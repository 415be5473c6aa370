package io.defenderalertroutes.emulator;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The OData options of one Defender XDR {@code GET /api/incidents}, those Microsoft documents: {@code $filter} on
 * {@link XdrIncidentField}, {@code $top} 1 to 100 (the documented page cap; more is refused) and {@code $skip}. No
 * {@code $orderby}: peers find the answers unordered, so the emulator refuses it rather than let a client depend on
 * an order. The most recently updated incidents come first, as documented. Alerts always come with their incident.
 */
final class XdrIncidentQuery extends ODataPageQuery<StoredIncident> {

    static final int MAX_TOP = 100;

    private static final List<String> KNOWN_OPTIONS = List.of("$filter", "$top", "$skip");

    private XdrIncidentQuery(Map<String, String> parameters, ODataFilter<StoredIncident> filter,
            Comparator<StoredIncident> order, int top, int skip) {
        super(parameters, filter, order, top, skip, false);
    }

    static XdrIncidentQuery of(Map<String, String> parameters) {
        for (String name : parameters.keySet()) {
            if (name.startsWith("$") && !KNOWN_OPTIONS.contains(name)) {
                throw new InvalidQueryException("The query parameter '" + name + "' is not supported.");
            }
        }
        ODataFilter<StoredIncident> filter = parameters.containsKey("$filter")
                ? ODataFilter.parse(parameters.get("$filter"), XdrIncidentField.SCHEMA) : null;
        Comparator<StoredIncident> order = orderBy("lastUpdateTime desc", name -> XdrIncidentField.named(name),
                StoredIncident::value, StoredIncident::id);
        return new XdrIncidentQuery(parameters, filter, order, top(parameters, MAX_TOP), skip(parameters));
    }
}
