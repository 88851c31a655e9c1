package dev.vigil.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The JSON mapping of every record on a topic: ISO-8601 instants, unknown fields ignored so that older
 * readers accept newer records.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .addModule(new SimpleModule("vigil-instants").addDeserializer(Instant.class, new IsoInstantDeserializer(
                    InstantDeserializer.INSTANT)))
            .addModule(new RecordCreators())
            .build();

    /**
     * Reads the form every Vigil service writes, {@code 2026-11-30T09:18:06.076123Z} (UTC, {@code T}, {@code Z}, 0 to
     * 9 digits of fraction, as {@code DateTimeFormatter.ISO_INSTANT} prints), without the general parser: it is in
     * every event, and parsing it was a twentieth of the rules' time. Anything else, and any field out of range, goes
     * to Jackson's own {@link InstantDeserializer}, so what is accepted and refused is exactly what it accepts.
     */
    static final class IsoInstantDeserializer extends ValueDeserializer<Instant> {

        private final ValueDeserializer<?> general;

        IsoInstantDeserializer(ValueDeserializer<?> general) {
            this.general = general;
        }

        @Override
        public ValueDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
            ValueDeserializer<?> contextual = general.createContextual(context, property);
            return contextual == general ? this : new IsoInstantDeserializer(contextual);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                Instant fast = parse(parser.getString());
                if (fast != null) {
                    return fast;
                }
            }
            return (Instant) general.deserialize(parser, context);
        }

        /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or {@code null} for any other text. */
        static Instant parse(String text) {
            int length = text.length();
            if (length < 20 || length > 30 || length == 21 || text.charAt(4) != '-' || text.charAt(7) != '-'
                    || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                    || text.charAt(length - 1) != 'Z' || length > 20 && text.charAt(19) != '.') {
                return null;
            }
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int nanos = 0;
            if (length > 20) {
                int fraction = digits(text, 20, length - 1);
                if (fraction < 0) {
                    return null;
                }
                nanos = fraction;
                for (int i = length - 1 - 20; i < 9; i++) {
                    nanos *= 10;
                }
            }
            if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                    || second < 0 || second > 59) {
                return null;
            }
            try {
                long epochDay = LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
            } catch (DateTimeException e) {
                return null; // the 31st of a shorter month: the general parser says why
            }
        }

        /** The number the ASCII digits {@code [from, to)} of {@code text} make, or -1 if one is not a digit. */
        private static int digits(String text, int from, int to) {
            int value = 0;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }

    private Json() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
