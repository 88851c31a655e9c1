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
     * JSON of {@code type}. Reading ignores type headers (the type is known); writing adds them, so a Spring
     * listener downstream can map the record without configuration.
     */
    public static <T> Serde<T> json(Class<T> type) {
        return new JacksonJsonSerde<>(new JacksonJsonSerializer<>(Json.mapper()),
                new JacksonJsonDeserializer<>(type, Json.mapper(), false));
    }
}
