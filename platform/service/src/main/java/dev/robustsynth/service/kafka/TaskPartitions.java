package dev.robustsynth.service.kafka;

import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.ServiceLifecycle;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The tasks channel's rebalance listener ({@code consumer-rebalance-listener.name=rsynth-tasks}), called on
 * SmallRye's polling thread. Assignment is cooperative-sticky. Before a newly assigned partition's first record is
 * handled, the attempts log and the outcome index have read everything written before, including outcomes whose
 * transactions were still open, so the previous owner's counts and outcomes are known. Revoked or lost partitions
 * have their tasks cancelled; they publish nothing and the new owner runs them.
 */
@ApplicationScoped
@Identifier(TaskPartitions.NAME)
public class TaskPartitions implements KafkaConsumerRebalanceListener {
    static final String NAME = "rsynth-tasks";
    private static final Logger LOG = Logger.getLogger(TaskPartitions.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    @Inject
    OutcomeCommitter committer;

    @Inject
    ServiceLifecycle lifecycle;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        ServiceAssembly s = lifecycle.assembly();
        if (!s.attempts().awaitCaughtUp(CATCH_UP) || !s.outcomeIndex().awaitCaughtUp(CATCH_UP)) {
            LOG.warnf("the attempts log or the outcome index has not caught up within %s; records of %s may run "
                    + "although a previous owner answered them", CATCH_UP, partitions);
        }
        committer.assigned(partitions);
        LOG.infof("tasks assigned %s", partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            committer.lost(partitions);
            LOG.infof("tasks revoked %s", partitions);
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            committer.lost(partitions);
            LOG.infof("tasks lost %s", partitions);
        }
    }
}
