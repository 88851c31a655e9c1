package dev.vigil.notifier.delivery;

import dev.vigil.kafka.FollowedTopic;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Which deliveries were already sent, read from {@code backup.deliveries} itself: at start-up the whole topic up
 * to its end (before any listener starts), then every new record, from every partition and every notifier
 * instance. A request redelivered after a crash or a rebalance is therefore recognised and not sent twice.
 * Ids are remembered for {@code vigil.notifier.delivery.ledger-retention} (30 days). It also keeps, per alert, the
 * latest decisions recorded about its notifications for the audit API, within a memory budget
 * ({@code vigil.notifier.delivery.audit-memory}).
 */
@Component
public class DeliveryLedger extends FollowedTopic {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);

    private static final int UNTOLD_KEPT = 50_000;
    /** At most this many decisions are kept per alert, the newest (its latest transitions). */
    static final int RECORDS_PER_ALERT = 64;

    /**
     * Delivery id → when it was sent (epoch millis), in the order this instance learnt of them: forgotten after
     * {@code vigil.notifier.delivery.ledger-retention}, and the oldest first beyond {@code ledger-max-ids} (about
     * 150 bytes each), so a flood of alerts cannot outgrow the heap. Guarded by itself.
     */
    private final java.util.LinkedHashMap<String, Long> sent;
    private final long retentionMillis;
    private final java.util.concurrent.atomic.AtomicLong forgottenForRoom = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
    /**
     * The decisions about each alert's notifications as the bytes read from the topic (decoded only when asked
     * for, a third of the objects' size), alerts touched least recently forgotten first once all of them take more
     * than {@link #auditBytes}: the audit's memory is bounded whatever the rate of alerts.
     */
    private final java.util.LinkedHashMap<String, java.util.ArrayDeque<byte[]>> byAlert =
            new java.util.LinkedHashMap<>(1024, 0.75f, true);
    private final long auditBytes;
    private long auditUsed;

    /**
     * {@code fingerprint|channel|target} of alerts whose FIRING notification to that target was held back as
     * superseded and has not been sent since: their RESOLVED would tell of something the person never heard of.
     */
    private final Map<String, Boolean> firingUntold = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > UNTOLD_KEPT;
                }
            });

    public DeliveryLedger(KafkaProperties kafka,
                          @org.springframework.beans.factory.annotation.Value("${vigil.notifier.delivery.ledger-retention:30d}")
                          java.time.Duration retention,
                          @org.springframework.beans.factory.annotation.Value("${vigil.notifier.delivery.audit-memory:32MB}")
                          org.springframework.util.unit.DataSize auditMemory,
                          @org.springframework.beans.factory.annotation.Value("${vigil.notifier.delivery.ledger-max-ids:200000}")
                          int maxIds) {
        super(kafka.buildConsumerProperties(), Topics.DELIVERIES);
        if (maxIds < 1) {
            throw new IllegalArgumentException("vigil.notifier.delivery.ledger-max-ids must be at least 1, was " + maxIds);
        }
        this.retentionMillis = retention.toMillis();
        this.auditBytes = auditMemory.toBytes();
        this.sent = new java.util.LinkedHashMap<>(1024) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                boolean full = size() > maxIds;
                if (full && forgottenForRoom.getAndIncrement() % 10_000 == 0) {
                    log.warn("delivery ledger full ({} ids, vigil.notifier.delivery.ledger-max-ids): forgetting the"
                            + " oldest sent ids before their retention ends", maxIds);
                }
                return full;
            }
        };
    }

    @Override
    protected void caughtUp() {
        log.info("delivery ledger caught up: {} deliveries already sent", sentIds());
    }

    /** True when a delivery with this id was sent (as recorded on {@code backup.deliveries} or by this instance). */
    public boolean wasSent(String deliveryId) {
        synchronized (sent) {
            return sent.containsKey(deliveryId);
        }
    }

    void markSent(String deliveryId) {
        remember(deliveryId, System.currentTimeMillis());
    }

    private void remember(String deliveryId, long at) {
        synchronized (sent) {
            sent.putIfAbsent(deliveryId, at);
        }
    }

    /** How many sent delivery ids are remembered now. */
    public int sentIds() {
        synchronized (sent) {
            return sent.size();
        }
    }

    /**
     * Forgets what was sent longer ago than the retention: ids are unique per transition, and no request is redelivered
     * after that long (the topics it comes from keep records for days), so the ledger's memory is bounded in time.
     */
    void forgetOld(long now) {
        long before = now - retentionMillis;
        synchronized (sent) {
            sent.values().removeIf(at -> at < before);
        }
    }

    /**
     * True when the last FIRING notification of this alert to this channel and target was held back as superseded
     * (it resolved before it could be told) and none was sent after: its RESOLVED is not news to anyone there.
     */
    public boolean firingNeverTold(String fingerprint, String channel, String target) {
        return firingUntold.containsKey(fingerprint + "|" + channel + "|" + target);
    }

    /** Takes note of one decision, as it is made (by this instance) and as it is read back from the topic. */
    void note(DeliveryRecord decision) {
        if (decision.fingerprint() == null || decision.alertStatus() == null) {
            return;
        }
        String key = decision.fingerprint() + "|" + decision.channel() + "|" + decision.target();
        if (decision.alertStatus() == dev.vigil.model.AlertStatus.FIRING) {
            if (decision.status() == DeliveryStatus.SENT) {
                firingUntold.remove(key);
            } else if (decision.status() == DeliveryStatus.SUPPRESSED && SUPERSEDED.equals(decision.reason())) {
                firingUntold.put(key, Boolean.TRUE);
            }
        } else if (decision.status() != DeliveryStatus.RETRYING) {
            firingUntold.remove(key);
        }
    }

    /** The reason of a FIRING notification held back because its alert has moved on. */
    public static final String SUPERSEDED = "superseded";

    /**
     * The decisions recorded about the notifications of one alert, oldest first: the newest
     * {@value #RECORDS_PER_ALERT} of them (its latest transitions) while the audit's memory allows
     * ({@code vigil.notifier.delivery.audit-memory}, 32 MB); every decision stays on {@code backup.deliveries}.
     */
    public List<DeliveryRecord> decisions(String fingerprint) {
        List<byte[]> kept;
        synchronized (byAlert) {
            java.util.ArrayDeque<byte[]> records = byAlert.get(fingerprint);
            kept = records == null ? List.of() : List.copyOf(records);
        }
        List<DeliveryRecord> decisions = new ArrayList<>(kept.size());
        for (byte[] bytes : kept) {
            decisions.add(Json.read(bytes, DeliveryRecord.class));
        }
        return decisions;
    }

    /** Bytes the audit holds now, for the tests of its bound. */
    long auditBytesUsed() {
        synchronized (byAlert) {
            return auditUsed;
        }
    }

    private void keep(String fingerprint, byte[] bytes) {
        synchronized (byAlert) {
            java.util.ArrayDeque<byte[]> records = byAlert.computeIfAbsent(fingerprint, f -> new java.util.ArrayDeque<>());
            records.addLast(bytes);
            auditUsed += bytes.length;
            if (records.size() > RECORDS_PER_ALERT) {
                auditUsed -= records.removeFirst().length;
            }
            for (var eldest = byAlert.entrySet().iterator(); auditUsed > auditBytes && eldest.hasNext(); ) {
                var entry = eldest.next();
                if (entry.getKey().equals(fingerprint)) {
                    continue;
                }
                for (byte[] forgotten : entry.getValue()) {
                    auditUsed -= forgotten.length;
                }
                eldest.remove();
            }
        }
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        DeliveryRecord delivery = Json.read(record.value(), DeliveryRecord.class);
        if (delivery.status() == DeliveryStatus.SENT) {
            remember(delivery.deliveryId(), delivery.at() == null ? record.timestamp() : delivery.at().toEpochMilli());
        }
        if (!delivery.deliveryId().isEmpty() && delivery.status() != DeliveryStatus.RETRYING) {
            note(delivery);
        }
        if (applied.incrementAndGet() % 10_000 == 0) {
            forgetOld(System.currentTimeMillis());
        }
        if (delivery.fingerprint() != null) {
            keep(delivery.fingerprint(), record.value());
        }
    }
}
