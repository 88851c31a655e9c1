package dev.vigil.notifier.delivery;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Which deliveries were already sent, read from {@code backup.deliveries} itself: at start-up the whole topic up
 * to its end (before any listener starts), then every new record, from every partition and every notifier
 * instance. A request redelivered after a crash or a rebalance is therefore recognised and not sent twice.
 * It also keeps, per alert, every decision recorded about its notifications, for the audit API.
 */
@Component
public class DeliveryLedger implements SmartLifecycle {

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
    private final Map<String, Object> consumerConfig;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread reader;

    public DeliveryLedger(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig = config;
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

    /** Starts reading; returns once the topic has been read up to the end it had when we started. */
    @Override
    public void start() {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        reader = new Thread(this::read, "delivery-ledger");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!caughtUp.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the delivery ledger could not read " + Topics.DELIVERIES + " in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.DELIVERIES, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    remember(record);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    log.info("delivery ledger caught up: {} deliveries already sent", sent.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("the delivery ledger stopped reading {}", Topics.DELIVERIES, e);
        } finally {
            consumer.close();
        }
    }

    private void remember(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
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
        } catch (RuntimeException e) {
            log.warn("unreadable record at {}-{}@{}", record.topic(), record.partition(), record.offset());
        }
    }

    @Override
    public void stop() {
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    @Override
    public boolean isRunning() {
        return reader != null && reader.isAlive();
    }

    /** Before the listener containers (phase {@code Integer.MAX_VALUE - 100}), so they never run without it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
