package dev.vigil.kafka;

import dev.vigil.model.Json;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * The format of a Kafka Streams state store's values (and their changelog): Jackson's Smile, a binary form of JSON
 * (<a href="https://github.com/FasterXML/smile-format-specification">Smile format specification</a>), with the
 * records' own JSON mapping, property names shared within a value and instants as numbers (epoch seconds and nanoseconds, exact). A job's state
 * is read and written for every event, so it is kept in the form that is cheapest to read and write: no text to
 * scan, no ISO-8601 instants to parse.
 *
 * <p>Reading also accepts JSON (a value written before the stores were Smile begins with {@code '{'}; a Smile value
 * always begins with its header {@code ":)\n"}), so existing stores and changelogs are read as they are and rewritten
 * as Smile when their key next changes. {@code null} bytes are {@code null} (a tombstone).
 */
public final class StateSerde {

    private static final SmileMapper SMILE = SmileMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            // seconds.nanoseconds: exact, whatever precision an instant has
            .enable(DateTimeFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .enable(DateTimeFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .build();

    private StateSerde() {
    }

    /** The serde of a store's values of {@code type}. */
    public static <T> Serde<T> of(Class<T> type) {
        ObjectWriter writer = SMILE.writerFor(type);
        ObjectReader smile = SMILE.readerFor(type);
        ObjectReader json = Json.mapper().readerFor(type);
        Serializer<T> serializer = (topic, value) -> value == null ? null : writer.writeValueAsBytes(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null
                : bytes.length > 0 && bytes[0] == ':' ? smile.readValue(bytes) : json.readValue(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
