package io.defenderalertroutes.app;

import java.util.function.Function;

/**
 * The beans each tenant has: the kind its registry name is made from ({@code TenantNames.bean}), the route template
 * that uses it and the template parameter that passes the name in (none for the beans the shared alert flow finds by
 * the alert's tenant).
 */
enum TenantBean {
    TOKEN_ENRICHER("defenderTokenEnricher", TenantRoutes.POLLER_TEMPLATE, "tokenEnricher", TenantPipeline::tokenEnricher),
    ALERT_QUERY("defenderAlertQuery", TenantRoutes.POLLER_TEMPLATE, "alertQuery", TenantPipeline::alertQuery),
    POLL_GUARD("defenderPollGuard", TenantRoutes.POLLER_TEMPLATE, "pollGuard", TenantPipeline::pollGuard),
    PAGE_SPLITTER("defenderPageSplitter", TenantRoutes.POLLER_TEMPLATE, "pageSplitter", TenantPipeline::splitter),
    POLL_HEALTH("defenderPollHealth", TenantRoutes.POLLER_TEMPLATE, "pollHealth", TenantPipeline::health),
    DEDUP_STORE("defenderDedupStore", TenantRoutes.POLLER_TEMPLATE, "dedupStore", t -> new TenantDedupStore(t.dedup())),
    // the shared alert flow finds these by the alert's tenant (AlertFlowSteps), not by a template parameter
    ALERT_HEADERS("defenderAlertHeaders", null, null, TenantPipeline::alertHeaders),
    CRITERIA("defenderCriteria", null, null, TenantPipeline::criteria),
    DEDUP("defenderDedup", null, null, TenantPipeline::dedup),
    SINKS("defenderSinks", null, null, TenantPipeline::sinks);

    final String kind;
    final String template;
    final String parameter;
    final Function<TenantPipeline, Object> of;

    TenantBean(String kind, String template, String parameter, Function<TenantPipeline, Object> of) {
        this.kind = kind;
        this.template = template;
        this.parameter = parameter;
        this.of = of;
    }
}
