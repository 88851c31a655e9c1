package dev.vigil.kafka;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.Alert;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Change;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Silence;
import dev.vigil.model.Topics;
import java.util.List;

/**
 * The record type of a topic's values. Vigil's records carry no type header (no Java class name reaches a topic
 * others read): a listener's JSON deserialiser takes the type from the topic instead. The shared topics are listed in
 * {@link #SHARED}; a service declares a bean of this type for a topic private to it.
 *
 * @param topic the topic name
 * @param type  the class its values are read as
 */
public record TopicValueType(String topic, Class<?> type) {

    /** The topics of the shared model, with the record each holds (the AsyncAPI document says the same). */
    public static final List<TopicValueType> SHARED = List.of(
            new TopicValueType(Topics.EVENTS, BackupEvent.class),
            new TopicValueType(Topics.REJECTED, RejectedInput.class),
            new TopicValueType(Topics.ALERTS, Alert.class),
            new TopicValueType(Topics.SILENCES, Silence.class),
            new TopicValueType(Topics.DELIVERIES, DeliveryRecord.class),
            new TopicValueType(Topics.ACCOUNTS, AccountSettings.class),
            new TopicValueType(Topics.CHANGES, Change.class));

    /**
     * The type of {@code topic}'s values: its own, or that of the topic it derives from (a retry topic
     * {@code <topic>-retry[-n]}, a dead-letter topic {@code <topic>.dlt} or {@code <topic>-dlt}).
     *
     * @throws IllegalArgumentException when no type is declared for it (the record is then dead-lettered)
     */
    public static Class<?> of(java.util.Map<String, Class<?>> types, String topic) {
        Class<?> type = types.get(topic);
        String base = topic;
        while (type == null) {
            int cut = Math.max(base.lastIndexOf('-'), base.lastIndexOf('.'));
            if (cut <= 0) {
                throw new IllegalArgumentException("no record type is declared for topic " + topic);
            }
            base = base.substring(0, cut);
            type = types.get(base);
        }
        return type;
    }
}
