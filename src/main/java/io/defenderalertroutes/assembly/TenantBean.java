package io.defenderalertroutes.assembly;

import java.util.function.Function;

/**
 * The beans each tenant has: the kind its registry name is made from ({@code TenantNames.bean}), the route template
 * that uses it and the template parameter that passes the name in (none for the beans the shared alert flow finds by
 * the alert's tenant).
 */
enum TenantBean {
    TOKEN_ENRICHER("defenderTokenEnricher", TenantRoutes.POLLER_TEMPLATE, "tokenEnricher", TenantParts::tokenEnricher),
    ALERT_QUERY("defenderAlertQuery", TenantRoutes.POLLER_TEMPLATE, "alertQuery", TenantParts::alertQuery),
    POLL_GUARD("defenderPollGuard", TenantRoutes.POLLER_TEMPLATE, "pollGuard", TenantParts::pollGuard),
    PAGE_SPLITTER("defenderPageSplitter", TenantRoutes.POLLER_TEMPLATE, "pageSplitter", TenantParts::splitter),
    POLL_HEALTH("defenderPollHealth", TenantRoutes.POLLER_TEMPLATE, "pollHealth", TenantParts::health),
    DEDUP_STORE("defenderDedupStore", TenantRoutes.POLLER_TEMPLATE, "dedupStore", t -> new DedupStoreOpener(t.dedup())),
    // the shared alert flow finds these by the alert's tenant (AlertFlowSteps), not by a template parameter
    ALERT_HEADERS("defenderAlertHeaders", null, null, TenantParts::alertHeaders),
    CRITERIA("defenderCriteria", null, null, TenantParts::criteria),
    DEDUP("defenderDedup", null, null, TenantParts::dedup),
    SINKS("defenderSinks", null, null, TenantParts::sinks);

    final String kind;
    final String template;
    final String parameter;
    final Function<TenantParts, Object> of;

    TenantBean(String kind, String template, String parameter, Function<TenantParts, Object> of) {
        this.kind = kind;
        this.template = template;
        this.parameter = parameter;
        this.of = of;
    }
}
