package io.defenderalertroutes.assembly;

import io.defenderalertroutes.state.DedupStore;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The shared alert flow's idempotent repository ({@code #defenderDedup}): each key goes to the dedup store of the
 * alert's tenant. The stores themselves start and stop with their tenants' pollers ({@link DedupStoreOpener}).
 */
final class DedupStoreByTenant extends ServiceSupport implements IdempotentRepository {

    static final String BEAN = "defenderDedup";

    private static DedupStore store(Exchange exchange) {
        return AlertFlowSteps.tenantBean(exchange, TenantBean.DEDUP, DedupStore.class);
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        return store(exchange).contains(exchange, key);
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        return store(exchange).add(exchange, key);
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return store(exchange).remove(exchange, key);
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        return store(exchange).confirm(exchange, key);
    }

    @Override
    public boolean add(String key) {
        throw withoutTenant();
    }

    @Override
    public boolean contains(String key) {
        throw withoutTenant();
    }

    @Override
    public boolean remove(String key) {
        throw withoutTenant();
    }

    @Override
    public boolean confirm(String key) {
        throw withoutTenant();
    }

    @Override
    public void clear() {
        throw withoutTenant();
    }

    private static UnsupportedOperationException withoutTenant() {
        return new UnsupportedOperationException("the tenants' dedup keys are reached with an alert's exchange, which "
                + "names its tenant; each tenant's store is its bean " + TenantBean.DEDUP.kind + "-<tenant>");
    }
}
