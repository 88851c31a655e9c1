package dev.vigil.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.AlertStatus;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.util.unit.DataSize;

/**
 * The ledger's audit keeps each alert's newest decisions within its memory budget, whatever the number of alerts
 * and decisions read from {@code backup.deliveries}; what it sent is remembered regardless.
 */
class DeliveryLedgerTests {

    private static long offset;

    private static ConsumerRecord<String, byte[]> record(String fingerprint, int attempt, DeliveryStatus status) {
        DeliveryRecord decision = new DeliveryRecord("d-" + fingerprint + "-" + attempt, fingerprint, AlertStatus.FIRING,
                "failed-backup", new JobKey("demo", "3723707", "job-" + fingerprint), "email", "ops@example.com",
                List.of("ops@example.com"), status, status == DeliveryStatus.RETRYING ? "smtp-4xx: busy" : null, attempt,
                Instant.parse("2026-11-30T10:00:00Z").plusSeconds(attempt));
        return new ConsumerRecord<>(Topics.DELIVERIES, 0, offset++, decision.deliveryId(), Json.write(decision));
    }

    @Test
    void keepsTheNewestDecisionsOfAnAlert() {
        DeliveryLedger ledger = new DeliveryLedger(new KafkaProperties(), Duration.ofDays(30), DataSize.ofMegabytes(32), 200_000);
        for (int attempt = 1; attempt <= 200; attempt++) {
            ledger.apply(record("f1", attempt, attempt == 200 ? DeliveryStatus.SENT : DeliveryStatus.RETRYING));
        }
        List<DeliveryRecord> decisions = ledger.decisions("f1");
        assertThat(decisions).hasSize(DeliveryLedger.RECORDS_PER_ALERT);
        assertThat(decisions.get(0).attempt()).isEqualTo(200 - DeliveryLedger.RECORDS_PER_ALERT + 1);
        assertThat(decisions.get(decisions.size() - 1).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(ledger.wasSent("d-f1-200")).isTrue();
        assertThat(ledger.decisions("unknown")).isEmpty();
    }

    @Test
    void theAuditStaysWithinItsMemoryBudgetAndForgetsTheAlertsTouchedLeastRecently() {
        DeliveryLedger ledger = new DeliveryLedger(new KafkaProperties(), Duration.ofDays(30), DataSize.ofKilobytes(64), 200_000);
        ledger.apply(record("kept", 1, DeliveryStatus.SENT));
        for (int alert = 0; alert < 5_000; alert++) {
            ledger.apply(record("a" + alert, 1, DeliveryStatus.SENT));
            if (alert % 100 == 0) {
                ledger.apply(record("kept", 2 + alert, DeliveryStatus.SENT));
            }
            assertThat(ledger.auditBytesUsed()).isLessThanOrEqualTo(64 * 1024);
        }
        assertThat(ledger.decisions("a0")).isEmpty();
        assertThat(ledger.decisions("a4999")).hasSize(1);
        assertThat(ledger.decisions("kept")).isNotEmpty();
        assertThat(ledger.wasSent("d-a0-1")).as("what was sent is remembered beyond the audit").isTrue();
    }

    @Test
    void theSentIdsStayWithinTheirCountAndTheOldestAreForgottenFirst() {
        DeliveryLedger ledger = new DeliveryLedger(new KafkaProperties(), Duration.ofDays(30), DataSize.ofKilobytes(64), 1_000);
        for (int alert = 0; alert < 5_000; alert++) {
            ledger.apply(record("s" + alert, 1, DeliveryStatus.SENT));
            if (alert % 1_000 == 0) {
                ledger.markSent("own-" + alert);
            }
            assertThat(ledger.sentIds()).isLessThanOrEqualTo(1_000);
        }
        assertThat(ledger.sentIds()).isEqualTo(1_000);
        assertThat(ledger.wasSent("d-s4999-1")).isTrue();
        assertThat(ledger.wasSent("own-4000")).isTrue();
        assertThat(ledger.wasSent("d-s4001-1")).isTrue();
        // the newest 1,000: s4001..s4999 and own-4000, learnt after s4000
        assertThat(ledger.wasSent("d-s4000-1")).as("the oldest make room").isFalse();
        assertThat(ledger.wasSent("own-3000")).isFalse();
        assertThat(ledger.wasSent("d-s0-1")).isFalse();
    }

    @Test
    void sentIdsAreForgottenAfterTheRetention() {
        DeliveryLedger ledger = new DeliveryLedger(new KafkaProperties(), Duration.ofHours(1), DataSize.ofKilobytes(64), 1_000);
        ledger.apply(record("old", 1, DeliveryStatus.SENT)); // sent 2026-11-30T10:00:01Z
        ledger.markSent("recent");
        ledger.forgetOld(System.currentTimeMillis());
        assertThat(ledger.wasSent("d-old-1")).isFalse();
        assertThat(ledger.wasSent("recent")).as("sent now, within the hour").isTrue();
    }

    @Test
    void refusesALedgerWithoutRoom() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DeliveryLedger(new KafkaProperties(),
                Duration.ofDays(30), DataSize.ofKilobytes(64), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ledger-max-ids");
    }
}
