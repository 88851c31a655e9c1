package dev.vigil.kafka;

import dev.vigil.model.Json;
import org.apache.kafka.common.serialization.Serde;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerde;
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
        return new JacksonJsonSerde<>(serializer(), new JacksonJsonDeserializer<>(type, Json.mapper(), false));
    }

    /** The JSON serialiser of every Vigil record: the shared mapping, no type header. */
    public static <T> JacksonJsonSerializer<T> serializer() {
        JacksonJsonSerializer<T> serializer = new JacksonJsonSerializer<>(Json.mapper());
        serializer.setAddTypeInfo(false);
        return serializer;
    }
}
