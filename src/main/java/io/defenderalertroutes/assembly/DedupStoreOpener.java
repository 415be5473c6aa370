package io.defenderalertroutes.assembly;

import io.defenderalertroutes.state.DedupStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A step of the tenant's poller that opens its dedup store: the store (a file, or a Kafka topic with
 * {@code defender.dedup=kafka}) starts and stops with the poller route, so a store that cannot be read keeps this
 * tenant from polling, and Camel's route controller retries and reports it, while the other tenants poll on.
 */
final class DedupStoreOpener extends ServiceSupport implements Processor {

    private final DedupStore store;

    DedupStoreOpener(DedupStore store) {
        this.store = store;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (!ServiceHelper.isStarted(store)) {
            throw new IllegalStateException("the dedup store of tenant " + io.defenderalertroutes.tenant.Tenant.nameOf(exchange)
                    + " is not open");
        }
        store.beforePoll();
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(store);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(store);
    }
}
