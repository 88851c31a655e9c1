package dev.vigil.notifier.delivery;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes every decision about a notification to {@code backup.deliveries}: sent, retrying, failed and why,
 * suppressed and why. The write is waited for, so a decision is durable before the request is acknowledged.
 */
@Component
public class DeliveryLog {

    private final KafkaTemplate<String, Object> kafka;
    private final DeliveryLedger ledger;
    private final MeterRegistry meters;
    private final Clock clock;

    public DeliveryLog(KafkaTemplate<String, Object> kafka, DeliveryLedger ledger, MeterRegistry meters) {
        this.kafka = kafka;
        this.ledger = ledger;
        this.meters = meters;
        this.clock = Clock.systemUTC();
    }

    public DeliveryRecord record(DeliveryRequest request, List<String> recipients, DeliveryStatus status,
                                 String reason, int attempt, String traceId) {
        var alert = request.alert();
        DeliveryRecord record = new DeliveryRecord(request.deliveryId(), alert.fingerprint(), alert.status(),
                alert.rule(), alert.job(), request.channel(), request.target(), recipients, status, reason, attempt,
                clock.instant());
        write(record, traceId);
        if (status == DeliveryStatus.SENT) {
            ledger.markSent(record.deliveryId());
            if (alert.startsAt() != null) {
                meters.timer("vigil.notifier.alert.to.delivered", "channel", request.channel())
                        .record(Duration.between(alert.endsAt() != null ? alert.endsAt() : alert.startsAt(),
                                record.at()).abs());
            }
        }
        meters.counter("vigil.notifier.deliveries", "channel", request.channel(), "status", status.name().toLowerCase(),
                "reason", reason == null ? "none" : reason).increment();
        return record;
    }

    private void write(DeliveryRecord record, String traceId) {
        try {
            kafka.send(CloudEventRecords.record(Topics.DELIVERIES, record.deliveryId(), record,
                            record.deliveryId() + "-" + record.status().name().toLowerCase() + "-" + record.attempt(),
                            "dev.vigil.delivery." + record.status().name().toLowerCase(), "notifier", record.at(),
                            traceId))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording a delivery", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot record delivery " + record.deliveryId() + ": " + e, e);
        }
    }
}
