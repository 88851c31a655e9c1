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

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serde.serializer().serialize("store", null)).isNull();
        assertThat(serde.deserializer().deserialize("store", null)).isNull();
    }
}
