package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Instants read from the topics: the fast path for the form Vigil writes gives exactly what Jackson's own parser
 * gives, and every other text is accepted or refused exactly as Jackson's own parser does.
 */
class JsonInstantTests {

    private static final JsonMapper GENERAL = JsonMapper.builder().build();

    /** The instant, or the exception's class name: what a reader of the text ends with. */
    private static Object read(JsonMapper mapper, String text) {
        try {
            return mapper.readValue("\"" + text + "\"", Instant.class);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    @Test
    void theWrittenFormParsesAsJacksonParsesItAtEveryPrecision() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000));
            for (Instant variant : new Instant[] {at, at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), at.truncatedTo(java.time.temporal.ChronoUnit.MICROS)}) {
                String text = DateTimeFormatter.ISO_INSTANT.format(variant);
                assertThat(read(Json.mapper(), text)).as(text).isEqualTo(variant).isEqualTo(read(GENERAL, text));
            }
        }
        assertThat(Json.IsoInstantDeserializer.parse("2026-11-30T09:18:06.076123Z"))
                .isEqualTo(Instant.parse("2026-11-30T09:18:06.076123Z"));
    }

    @Test
    void everyOtherTextIsAcceptedOrRefusedAsJacksonDoes() {
        List<String> texts = new ArrayList<>(List.of("2026-11-30T09:18:06.1Z", "2026-11-30T09:18:06.12Z",
                "2026-11-30T09:18:06.1234Z", "2026-11-30T09:18:06.12345678Z", "2026-11-30T09:18:06.Z",
                "2026-11-30T09:18:06.1234567890Z", "2026-11-30T23:59:60Z", "2026-02-29T00:00:00Z", "2028-02-29T00:00:00Z",
                "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
                "2026-11-00T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T09:60:00Z", "2026-11-30t09:18:06Z",
                "2026-11-30T09:18:06z", "2026-11-30T09:18:06+01:00", "2026-11-30T09:18:06.5+01:00", "2026-11-30 09:18:06Z",
                " 2026-11-30T09:18:06Z", "2026-11-30T09:18:06Z ", "+2026-11-30T09:18:06Z", "-0001-11-30T09:18:06Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z", "2026-1a-30T09:18:06Z",
                "2026-11-30T09:1８:06Z", "", "1796030287707", "now", "2026-11-30", "2026-11-30T09:18Z"));
        for (String text : texts) {
            assertThat(read(Json.mapper(), text)).as(text).isEqualTo(read(GENERAL, text));
        }
        assertThat(Json.read("{\"at\":1796030287.707}".getBytes(), Stamp.class).at())
                .isEqualTo(GENERAL.readValue("{\"at\":1796030287.707}", Stamp.class).at());
    }

    record Stamp(Instant at) {
    }
}
