package io.defenderalertroutes.actions;

import java.util.Set;

import io.defenderalertroutes.auth.TokenEnricher;
import io.defenderalertroutes.tenant.Tenant;

/**
 * A tenant as the actions see it: the same {@link Tenant} its polls carry (so that actions and polls share one call
 * budget), the same token client, its API and the actions it allows ({@code defender.actions.allowed}).
 */
public record ActionTenant(Tenant tenant, TokenEnricher tokens, String apiUrl, Set<ActionKind> allowed) {

    public ActionTenant {
        allowed = Set.copyOf(allowed);
    }
}
