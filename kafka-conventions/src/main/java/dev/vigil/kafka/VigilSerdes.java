package dev.vigil.kafka;

import dev.vigil.model.Json;
import org.apache.kafka.common.serialization.Serde;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/** Kafka Streams serdes of the shared-model records, in the one JSON mapping. */
public final class VigilSerdes {

    private VigilSerdes() {
    }

    /**
     * JSON of {@code type}. Reading ignores type headers (the type is known); writing adds none, so no Java class
     * name reaches a topic (readers know each topic's type, {@link TopicValueType}).
     */
    public static <T> Serde<T> json(Class<T> type) {
        // Jackson's reader and writer for the type, made once: the rules read an event and write an alert per record
        tools.jackson.databind.ObjectReader reader = Json.mapper().readerFor(type);
        tools.jackson.databind.ObjectWriter writer = Json.mapper().writerFor(type);
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(
                (topic, value) -> value == null ? null : writer.writeValueAsBytes(value),
                (topic, bytes) -> bytes == null ? null : reader.readValue(bytes));
    }

    /** The JSON serialiser of every Vigil record: the shared mapping, no type header. */
    public static <T> JacksonJsonSerializer<T> serializer() {
        JacksonJsonSerializer<T> serializer = new JacksonJsonSerializer<>(Json.mapper());
        serializer.setAddTypeInfo(false);
        return serializer;
    }
}
