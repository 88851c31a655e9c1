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
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Which deliveries were already sent, read from {@code backup.deliveries} itself: at start-up the whole topic up
 * to its end (before any listener starts), then every new record, from every partition and every notifier
 * instance. A request redelivered after a crash or a rebalance is therefore recognised and not sent twice.
 * It also keeps, per alert, every decision recorded about its notifications, for the audit API.
 */
@Component
public class DeliveryLedger extends FollowedTopic {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);

    private static final int AUDITED_ALERTS = 50_000;
    private static final int RECORDS_PER_ALERT = 200;

    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    /** The decisions about each alert's notifications, newest alerts kept: the audit API's answer. */
    private final Map<String, List<DeliveryRecord>> byAlert = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<DeliveryRecord>> eldest) {
            return size() > AUDITED_ALERTS;
        }
    };

    public DeliveryLedger(KafkaProperties kafka) {
        super(kafka.buildConsumerProperties(), Topics.DELIVERIES);
    }

    @Override
    protected void caughtUp() {
        log.info("delivery ledger caught up: {} deliveries already sent", sent.size());
    }

    public boolean wasSent(String deliveryId) {
        return sent.contains(deliveryId);
    }

    void markSent(String deliveryId) {
        sent.add(deliveryId);
    }

    /** Every decision recorded about the notifications of one alert (all its transitions), oldest first. */
    public List<DeliveryRecord> decisions(String fingerprint) {
        synchronized (byAlert) {
            return List.copyOf(byAlert.getOrDefault(fingerprint, List.of()));
        }
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        DeliveryRecord delivery = Json.read(record.value(), DeliveryRecord.class);
        if (delivery.status() == DeliveryStatus.SENT) {
            sent.add(delivery.deliveryId());
        }
        if (delivery.fingerprint() != null) {
            synchronized (byAlert) {
                List<DeliveryRecord> records = byAlert.computeIfAbsent(delivery.fingerprint(), f -> new ArrayList<>());
                records.add(delivery);
                if (records.size() > RECORDS_PER_ALERT) {
                    records.remove(0);
                }
            }
        }
    }
}
