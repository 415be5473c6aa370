package io.defenderalertroutes.ha;

import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * One namespace of the {@link KafkaClusterService}: this instance leads it while the group assigns it the
 * namespace's slot. Only the local member is known; the others are Kafka's business.
 */
final class KafkaClusterView extends AbstractCamelClusterView {

    private final KafkaClusterService service;
    private final int slot;
    private final CamelClusterMember local = new CamelClusterMember() {
        @Override
        public boolean isLeader() {
            return service.owns(slot);
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String getId() {
            return service.memberId();
        }
    };

    KafkaClusterView(KafkaClusterService service, String namespace, int slot) {
        super(service, namespace);
        this.service = service;
        this.slot = slot;
    }

    int slot() {
        return slot;
    }

    void leadershipChanged() {
        fireLeadershipChangedEvent(getLeader());
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return local.isLeader() ? Optional.of(local) : Optional.empty();
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return List.of(local);
    }

    @Override
    protected void doStart() {
        // the service's membership runs for every view
    }

    @Override
    protected void doStop() {
        // as above
    }
}
