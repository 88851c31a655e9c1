package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.VigilSerdes;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.ErrorInfo;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules read each event of {@code backup.events} whole but for its raw input, which no rule reads. */
class EventsSerdeTests {

    @Test
    void everyFieldButTheRawInputIsRead() {
        Instant at = Instant.parse("2026-10-25T01:30:00.123456789Z");
        BackupEvent sent = new BackupEvent("e-1", Source.XSIBACKUP, EventType.BACKUP_FINISHED, Outcome.FAILED, at,
                at.plusSeconds(1), new JobKey("acme", "esxi-01", "vm \"db\""), "run-1",
                new Measures(1L << 40, 12L, 3600L, 3, null, null), new ErrorInfo("2", "disk full"),
                Map.of("host", "esxi-01", "raw", "an attribute named raw"), "cmd=" + "x".repeat(100_000) + "\"\\\u2028");
        byte[] json = VigilSerdes.json(BackupEvent.class).serializer().serialize("backup.events", sent);

        BackupEvent read = AlertTopology.events().deserializer().deserialize("backup.events", json);

        assertThat(read.raw()).isNull();
        assertThat(read).usingRecursiveComparison().ignoringFields("raw").isEqualTo(sent);
        assertThat(read.attributes()).containsEntry("raw", "an attribute named raw");
    }
}
