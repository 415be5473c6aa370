package io.defenderalertroutes.app;

import java.util.function.Function;

/**
 * The beans each tenant has: the kind its registry name is made from ({@code TenantNames.bean}), the route template
 * that uses it, and the template parameter that passes the name in.
 */
enum TenantBean {
    TOKEN_ENRICHER("defenderTokenEnricher", TenantRoutes.POLLER_TEMPLATE, "tokenEnricher", TenantPipeline::tokenEnricher),
    ALERT_QUERY("defenderAlertQuery", TenantRoutes.POLLER_TEMPLATE, "alertQuery", TenantPipeline::alertQuery),
    POLL_GUARD("defenderPollGuard", TenantRoutes.POLLER_TEMPLATE, "pollGuard", TenantPipeline::pollGuard),
    PAGE_SPLITTER("defenderPageSplitter", TenantRoutes.POLLER_TEMPLATE, "pageSplitter", TenantPipeline::splitter),
    POLL_HEALTH("defenderPollHealth", TenantRoutes.POLLER_TEMPLATE, "pollHealth", TenantPipeline::health),
    ALERT_HEADERS("defenderAlertHeaders", TenantRoutes.ALERT_FLOW_TEMPLATE, "alertHeaders", TenantPipeline::alertHeaders),
    CRITERIA("defenderCriteria", TenantRoutes.ALERT_FLOW_TEMPLATE, "criteria", TenantPipeline::criteria),
    DEDUP("defenderDedup", TenantRoutes.ALERT_FLOW_TEMPLATE, "dedup", TenantPipeline::dedup),
    SINKS("defenderSinks", TenantRoutes.ALERT_FLOW_TEMPLATE, "sinks", TenantPipeline::sinks);

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
