package dev.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.CloudEventHeaders;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The CloudEvents headers of a record are one line each, whatever a caller put in an id or a job name. */
class CloudEventRecordsTests {

    @Test
    void headerValuesHoldNoControlOrInvisibleCharacters() {
        ProducerRecord<String, String> record = CloudEventRecords.record("backup.events", "acme/1/job\u0000\u202e",
                "{}", "generic-a\u0000\u001b[31m\u202e\r\nX-Injected: 1", "dev.vigil.backup.x", "gateway",
                Instant.parse("2026-11-30T10:00:00Z"), "trace\u0007");
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.ID))
                .isEqualTo("generic-a [31m X-Injected: 1");
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.SUBJECT)).isEqualTo("acme/1/job");
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.TRACE_ID)).isEqualTo("trace");
        assertThat(record.key()).as("the key is the job's, unchanged").isEqualTo("acme/1/job\u0000\u202e");
    }

    @Test
    void aLongIdIsCutToTheHeaderLimit() {
        ProducerRecord<String, String> record = CloudEventRecords.record("backup.events", "k", "{}", "x".repeat(5_000),
                "t", "gateway", Instant.EPOCH, "trace");
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.ID)).hasSize(1024).endsWith("…");
    }
}
