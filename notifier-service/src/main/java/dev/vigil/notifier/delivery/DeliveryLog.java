package dev.vigil.notifier.delivery;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import dev.vigil.model.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeliveryLog.class);

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

    /**
     * Records one decision; a message about a group is recorded once per alert in it, so each alert's audit
     * shows it.
     */
    public DeliveryRecord record(DeliveryRequest request, List<String> recipients, DeliveryStatus status,
                                 String reason, int attempt, String traceId) {
        Instant at = clock.instant();
        List<DeliveryRecord> records = new java.util.ArrayList<>();
        for (Alert alert : request.alerts()) {
            records.add(new DeliveryRecord(request.deliveryId(), alert.fingerprint(), alert.status(),
                    alert.rule(), alert.job(), request.channel(), request.target(), recipients, status, reason,
                    attempt, at));
            if (status == DeliveryStatus.SENT && alert.startsAt() != null) {
                meters.timer("vigil.notifier.alert.to.delivered", "channel", request.channel())
                        .record(Duration.between(alert.endsAt() != null ? alert.endsAt() : alert.startsAt(), at).abs());
            }
        }
        write(records, traceId);
        if (!request.grouped()) {
            records.forEach(ledger::note);
        }
        if (status == DeliveryStatus.SENT) {
            ledger.markSent(request.deliveryId());
        }
        if (status != DeliveryStatus.RETRYING) { // a retry is logged by the worker with its cause
            log.info("{} {} via {} to {} about {} alert(s) ({} {}){}", request.deliveryId(), status, request.channel(),
                    request.target(), request.alerts().size(), request.alert().rule(), request.alert().job().asString(),
                    reason == null ? "" : ": " + reason);
        }
        meters.counter("vigil.notifier.deliveries", "channel", request.channel(), "status", status.name().toLowerCase(),
                "reason", reasonTag(reason)).increment();
        return records.get(0);
    }

    /**
     * The kind of a reason, a bounded set fit for a metric label: {@code silenced} of "silenced by 7f3… (ops)",
     * {@code smtp-5xx} of "smtp-5xx: the SMTP server refused …".
     */
    static String reasonTag(String reason) {
        if (reason == null || reason.isBlank()) {
            return "none";
        }
        String kind = reason.strip().toLowerCase(java.util.Locale.ROOT).split("[^a-z0-9-]", 2)[0];
        return kind.isEmpty() ? "other" : kind.length() > 32 ? kind.substring(0, 32) : kind;
    }

    /** Writes the records of one decision (one per alert of the message) and waits for all of them. */
    private void write(List<DeliveryRecord> records, String traceId) {
        List<CompletableFuture<?>> writes = new java.util.ArrayList<>();
        for (DeliveryRecord record : records) {
            String id = record.deliveryId() + "-" + record.status().name().toLowerCase() + "-" + record.attempt()
                    + (writes.isEmpty() ? "" : "-" + record.fingerprint());
            writes.add(kafka.send(CloudEventRecords.record(Topics.DELIVERIES, record.deliveryId(), record, id,
                    "dev.vigil.delivery." + record.status().name().toLowerCase(), "notifier", record.at(), traceId)));
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording a delivery", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot record delivery " + records.get(0).deliveryId() + ": " + e, e);
        }
    }
}
