package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRoundTripTests {

    private final JobKey job = new JobKey("acme", "3723707", "WIN7,ERP01");

    @Test
    void backupEventSurvivesTheRoundTripWithEveryField() {
        BackupEvent event = new BackupEvent("xsi-esx01-123456-error", Source.XSIBACKUP, EventType.BACKUP_FINISHED,
                Outcome.FAILED, Instant.parse("2026-11-21T20:14:05Z"), Instant.parse("2026-11-21T20:14:06.123Z"),
                job, "123456", new Measures(2048L, 12L, 845L, 1, 8_000L, 10_000L),
                new ErrorInfo("1", "ERP01: snapshot creation failed"), Map.of("vms", "WIN7,ERP01"), "UElEPTEy");

        byte[] json = Json.write(event);

        assertThat(Json.read(json, BackupEvent.class)).isEqualTo(event);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"occurredAt\":\"2026-11-21T20:14:05Z\"")
                .contains("\"tenant\":\"acme\"")
                .contains("\"outcome\":\"FAILED\"");
    }

    @Test
    void alertAndDeliveryRecordSurviveTheRoundTrip() {
        Alert alert = new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, job), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, job, Source.XSIBACKUP, "Backup WIN7,ERP01 failed", Map.of("error", "x"),
                Instant.parse("2026-11-21T20:14:05Z"), null, "e1");
        DeliveryRecord record = new DeliveryRecord("d1", alert.fingerprint(), AlertStatus.FIRING, alert.rule(), job,
                "email", "3723707", List.of("a@example.org"), DeliveryStatus.SENT, null, 1,
                Instant.parse("2026-11-21T20:14:07Z"));

        assertThat(Json.read(Json.write(alert), Alert.class)).isEqualTo(alert);
        assertThat(Json.read(Json.write(record), DeliveryRecord.class)).isEqualTo(record);
    }

    @Test
    void readersIgnoreFieldsTheyDoNotKnow() {
        String json = """
                {"id":"e1","source":"GENERIC","type":"LOG","job":{"tenant":"t","account":"a","job":"j"},
                 "aFieldFromTheFuture":42}""";

        BackupEvent event = Json.read(json.getBytes(StandardCharsets.UTF_8), BackupEvent.class);

        assertThat(event.outcome()).isEqualTo(Outcome.NONE);
        assertThat(event.attributes()).isEmpty();
        assertThat(event.measures()).isEqualTo(Measures.NONE);
    }

    @Test
    void fingerprintDependsOnRuleAndJobOnly() {
        assertThat(Alert.fingerprint(Rules.FAILED_BACKUP, job))
                .isEqualTo(Alert.fingerprint(Rules.FAILED_BACKUP, new JobKey("acme", "3723707", "WIN7,ERP01")))
                .isNotEqualTo(Alert.fingerprint(Rules.QUOTA, job))
                .hasSize(24);
    }

    @Test
    void jobKeyParsesItsOwnStringFormEvenWithSlashesInTheJobName() {
        JobKey key = new JobKey("acme", "3723707", "My Computer/Mac HD");
        assertThat(JobKey.parse(key.asString())).isEqualTo(key);
    }
}
