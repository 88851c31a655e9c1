package dev.vigil.kafka;

import dev.vigil.model.Json;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import java.math.BigDecimal;
import java.time.Instant;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * The format of a Kafka Streams state store's values (and their changelog): Jackson's Smile, a binary form of JSON
 * (<a href="https://github.com/FasterXML/smile-format-specification">Smile format specification</a>), with the
 * records' own JSON mapping, property names and short string values (enum names, ids) written once within a value
 * and referred to after (a job state's history repeats them: a fifth fewer bytes per job), and instants as the decimal
 * {@code seconds.nanoseconds}
 * (exact, and what Jackson itself writes, so every version reads every other's values; made from one long instead
 * of the text Jackson builds and parses for it). A job's state
 * is read and written for every event, so it is kept in the form that is cheapest to read and write: no text to
 * scan, no ISO-8601 instants to parse.
 *
 * <p>A component missing from a value (added to the record after the value was written) is {@code null}, or the
 * default of a primitive ({@code 0}, {@code false}).
 *
 * <p>Reading also accepts JSON (a value written before the stores were Smile begins with {@code '{'}; a Smile value
 * always begins with its header {@code ":)\n"}), so existing stores and changelogs are read as they are and rewritten
 * as Smile when their key next changes. {@code null} bytes are {@code null} (a tombstone).
 */
public final class StateSerde {

    private static final long NANOS = 1_000_000_000L;

    private static final SmileMapper SMILE = SmileMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Jackson's own form of instants, seconds.nanoseconds; the module below writes and reads it without text
            .enable(DateTimeFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .enable(DateTimeFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .addModule(new SimpleModule("vigil-state-instants")
                    .addSerializer(Instant.class, new DecimalInstantSerializer())
                    .addDeserializer(Instant.class, new DecimalInstantDeserializer()))
            .addModule(new dev.vigil.model.RecordCreators())
            .enable(tools.jackson.dataformat.smile.SmileWriteFeature.CHECK_SHARED_STRING_VALUES)
            .build();

    /**
     * An instant as the decimal {@code seconds.nanoseconds}, as Jackson writes it with
     * {@code WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS} (so every version reads what every other writes), but made from
     * one long, without the text Jackson builds and parses for it.
     */
    static final class DecimalInstantSerializer extends ValueSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializationContext context) {
            long seconds = value.getEpochSecond();
            generator.writeNumber(seconds > Long.MIN_VALUE / NANOS + 1 && seconds < Long.MAX_VALUE / NANOS - 1
                    ? BigDecimal.valueOf(seconds * NANOS + value.getNano(), 9)
                    : BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(value.getNano(), 9)));
        }
    }

    /**
     * Reads a decimal as {@code seconds.nanoseconds} (any scale), an integer as epoch seconds, a string as ISO-8601
     * (values written as JSON before): what Jackson's own reader does with these settings.
     */
    static final class DecimalInstantDeserializer extends ValueDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                BigDecimal value = parser.getDecimalValue();
                if (value.precision() - value.scale() <= 10) { // whole seconds within 10^10: 1653 to 2286
                    try {
                        long nanos = value.movePointRight(9).longValueExact();
                        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
                    } catch (ArithmeticException beyondALong) {
                        // more than 9 digits of fraction, or beyond a long of nanoseconds: the general way below
                    }
                }
                long seconds = value.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
                int nanos = value.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).intValue();
                return Instant.ofEpochSecond(seconds, nanos);
            }
            if (token == JsonToken.VALUE_NUMBER_INT) {
                return Instant.ofEpochSecond(parser.getLongValue());
            }
            if (token == JsonToken.VALUE_STRING) {
                return Instant.parse(parser.getString().strip());
            }
            return (Instant) context.handleUnexpectedToken(Instant.class, parser);
        }
    }

    private StateSerde() {
    }

    /** The serde of a store's values of {@code type}. */
    public static <T> Serde<T> of(Class<T> type) {
        ObjectWriter writer = SMILE.writerFor(type);
        // a primitive component added to a record later (a counter) is its default in values written before it
        // existed; Jackson 3 refuses a missing primitive creator argument by default, which made every older value
        // of the store unreadable
        ObjectReader smile = SMILE.readerFor(type).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        ObjectReader json = Json.mapper().readerFor(type).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        Serializer<T> serializer = (topic, value) -> value == null ? null : writer.writeValueAsBytes(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null
                : bytes.length > 0 && bytes[0] == ':' ? smile.readValue(bytes) : json.readValue(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
