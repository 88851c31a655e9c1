package dev.vigil.notifier.pipeline;

import dev.vigil.model.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Which alerts this notifier instance owns: those whose partition of {@code backup.alerts} (the partition of the
 * fingerprint, their key, by Kafka's default partitioner) the consumer group {@code vigil-notifier} assigned to this
 * instance. Work a schedule does on every instance (reminders, the release of an ended silence) is done for owned
 * alerts only, so with any number of replicas each alert has one instance that acts on it, and a rebalance hands it
 * to another.
 */
@Component
public class AlertOwnership {

    static final String ALERTS_LISTENER = "alerts";

    private final KafkaListenerEndpointRegistry listeners;
    private final KafkaTemplate<String, Object> kafka;
    private volatile int partitions;
    private volatile int groupPartitions;

    public AlertOwnership(KafkaListenerEndpointRegistry listeners, KafkaTemplate<String, Object> kafka) {
        this.listeners = listeners;
        this.kafka = kafka;
    }

    /** True when this instance currently consumes the partition {@code fingerprint} is written to. */
    public boolean owns(String fingerprint) {
        return ownsPartition(partitionOf(fingerprint));
    }

    /**
     * True when this instance sends the batches of notification group {@code group}: the owner of the partition of
     * {@code backup.alerts} with the index of the group's partition of {@code backup.notification-groups} (both
     * topics have {@code vigil.kafka.partitions}; with other counts, that index modulo the alerts' partitions).
     * Every instance reads every group's members; only this one flushes it, so two instances never build two
     * batches of one group.
     */
    public boolean ownsGroup(String group) {
        int groupPartitions = groupPartitions();
        int index = Utils.toPositive(Utils.murmur2(group.getBytes(StandardCharsets.UTF_8))) % groupPartitions;
        return ownsPartition(index % alertPartitions());
    }

    /**
     * True on the one instance that does the work of the whole cluster (the directory's account sync): the owner of
     * partition 0 of {@code backup.alerts}. False on every instance while no partitions are assigned (a rebalance).
     */
    public boolean leads() {
        return ownsPartition(0);
    }

    private boolean ownsPartition(int partition) {
        MessageListenerContainer container = listeners.getListenerContainer(ALERTS_LISTENER);
        if (container == null) {
            return false;
        }
        Collection<TopicPartition> assigned = container.getAssignedPartitions();
        return assigned != null && assigned.contains(new TopicPartition(Topics.ALERTS, partition));
    }

    /** The partition of {@code backup.alerts} a record keyed {@code fingerprint} goes to (murmur2, as Kafka's producer). */
    public int partitionOf(String fingerprint) {
        return Utils.toPositive(Utils.murmur2(fingerprint.getBytes(StandardCharsets.UTF_8))) % alertPartitions();
    }

    private int alertPartitions() {
        int count = partitions;
        if (count == 0) {
            count = kafka.partitionsFor(Topics.ALERTS).size();
            partitions = count;
        }
        return count;
    }

    private int groupPartitions() {
        int count = groupPartitions;
        if (count == 0) {
            count = kafka.partitionsFor(dev.vigil.kafka.InternalTopics.NOTIFICATION_GROUPS).size();
            groupPartitions = count;
        }
        return count;
    }
}
