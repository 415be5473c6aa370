package io.defenderalertroutes.actions;

import java.util.Set;

import io.defenderalertroutes.auth.TokenEnricher;
import io.defenderalertroutes.tenant.Tenant;

/**
 * A tenant as the actions see it: the same {@link Tenant} its polls carry (so that actions and polls share one call
 * budget), the actions it allows ({@code defender.actions.allowed}), and the APIs its actions go to. A tenant whose
 * source is Graph updates its alerts through Graph (with its polls' token) and calls everything else on the
 * Defender for Endpoint API, with a token for that API's scope.
 *
 * @param graph     whether the tenant's source is Graph
 * @param tokens    the polls' token: Graph's or the Defender API's
 * @param apiUrl    the polls' API
 * @param mdeTokens a token for the Defender for Endpoint API (the polls' own unless the source is Graph)
 * @param mdeApiUrl the Defender for Endpoint API
 */
public record ActionTenant(Tenant tenant, Set<ActionKind> allowed, boolean graph, TokenEnricher tokens, String apiUrl,
        TokenEnricher mdeTokens, String mdeApiUrl) {

    public ActionTenant {
        allowed = Set.copyOf(allowed);
    }

    /** The tenant of a Defender API source: one API, one token. */
    public static ActionTenant ofDefenderApi(Tenant tenant, Set<ActionKind> allowed, TokenEnricher tokens, String apiUrl) {
        return new ActionTenant(tenant, allowed, false, tokens, apiUrl, tokens, apiUrl);
    }

    /** Whether this action goes to Graph rather than to the Defender for Endpoint API. */
    boolean throughGraph(ActionKind kind) {
        return graph && kind == ActionKind.UPDATE_ALERT;
    }
}
