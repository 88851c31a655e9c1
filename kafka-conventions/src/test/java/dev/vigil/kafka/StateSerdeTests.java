package dev.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The state stores' binary format: exact, smaller than JSON, and able to read what was written as JSON before. */
class StateSerdeTests {

    private static final JobKey JOB = new JobKey("acme", "3723707", "Daily/My Computer/ü 🙂");
    private static final Alert ALERT = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, JOB), Rules.FAILED_BACKUP,
            Severity.CRITICAL, AlertStatus.FIRING, JOB, Source.RETROSPECT, "Backup failed: \"quoted\" <b>",
            Map.of("errorMessage", "line 1\nline 2"), Instant.parse("2026-11-30T04:25:40.123456789Z"), null, "e-1");

    private final Serde<Alert> serde = StateSerde.of(Alert.class);

    @Test
    void aValueRoundTripsExactlyWithInstantsToTheNanosecond() {
        byte[] bytes = serde.serializer().serialize("store", ALERT);
        assertThat(bytes).startsWith(':', ')', '\n');
        assertThat(serde.deserializer().deserialize("store", bytes)).isEqualTo(ALERT);
        assertThat(bytes.length).as("smaller than the JSON").isLessThan(Json.write(ALERT).length);
    }

    @Test
    void aValueWrittenAsJsonBeforeIsStillRead() {
        assertThat(serde.deserializer().deserialize("store", Json.write(ALERT))).isEqualTo(ALERT);
    }

    /** Jackson's own Smile mapping of instants, as the stores were written before (and as an earlier version reads). */
    private static final tools.jackson.dataformat.smile.SmileMapper JACKSON = tools.jackson.dataformat.smile.SmileMapper.builder()
            .enable(tools.jackson.databind.cfg.DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(tools.jackson.databind.cfg.DateTimeFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .enable(tools.jackson.databind.cfg.DateTimeFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .build();

    private static final Instant[] INSTANTS = {ALERT.startsAt(), Instant.EPOCH, Instant.ofEpochSecond(-1, 1),
            Instant.ofEpochSecond(-2, 999_999_999), Instant.ofEpochSecond(-2, 500_000_000),
            Instant.parse("1677-09-21T00:12:44Z"), Instant.parse("2262-04-11T23:47:16.854775807Z"),
            Instant.parse("2300-01-01T00:00:00.000000001Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.MAX, Instant.MIN};

    @Test
    void everyInstantRoundTripsExactly() {
        for (Instant at : INSTANTS) {
            Alert alert = withStart(at);
            assertThat(serde.deserializer().deserialize("store", serde.serializer().serialize("store", alert)))
                    .as(at.toString()).isEqualTo(alert);
        }
    }

    @Test
    void instantsAreWrittenAndReadAsJacksonWritesAndReadsThem() {
        for (Instant at : INSTANTS) {
            Alert alert = withStart(at);
            assertThat(serde.deserializer().deserialize("store", JACKSON.writeValueAsBytes(alert)))
                    .as("written before, read now: " + at).isEqualTo(alert);
            assertThat(JACKSON.readValue(serde.serializer().serialize("store", alert), Alert.class))
                    .as("written now, read by Jackson's own mapping: " + at).isEqualTo(alert);
        }
    }

    private static Alert withStart(Instant at) {
        return new Alert(ALERT.fingerprint(), ALERT.rule(), ALERT.severity(), ALERT.status(), ALERT.job(), ALERT.source(),
                ALERT.summary(), ALERT.details(), at, at, ALERT.eventId());
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serde.serializer().serialize("store", null)).isNull();
        assertThat(serde.deserializer().deserialize("store", null)).isNull();
    }

    /** A value of many records, as a job state's history: what it is for. */
    public record Alerts(java.util.List<Alert> alerts) {
    }

    /**
     * Repeated strings (enum names, ids) are written once per value and referred to after: smaller than Jackson's
     * default Smile, and read back by it (a version without this setting) as it was written.
     */
    @Test
    void repeatedStringsAreWrittenOnceAndReadByJacksonsOwnMapping() {
        java.util.List<Alert> alerts = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            alerts.add(withStart(ALERT.startsAt().plusSeconds(i)));
        }
        Alerts value = new Alerts(alerts);
        byte[] shared = StateSerde.of(Alerts.class).serializer().serialize("store", value);
        assertThat(shared.length).isLessThan(JACKSON.writeValueAsBytes(value).length * 2 / 3);
        assertThat(JACKSON.readValue(shared, Alerts.class)).isEqualTo(value);
        assertThat(StateSerde.of(Alerts.class).deserializer().deserialize("store", JACKSON.writeValueAsBytes(value)))
                .isEqualTo(value);
    }
}
