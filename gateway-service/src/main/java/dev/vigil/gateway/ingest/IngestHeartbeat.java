package dev.vigil.gateway.ingest;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.IngestControl;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Writes a {@link EventType#HEARTBEAT} to every partition of {@code backup.events} every second. Because Kafka
 * keeps a partition in order, a heartbeat stamped T tells the rules service that every hook this gateway
 * accepted before T is already in the partition ahead of it: missed-run verdicts wait for it, so an outage of
 * Vigil itself never turns into false "your backup did not run" alarms.
 */
@Component
class IngestHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(IngestHeartbeat.class);

    private final KafkaTemplate<String, Object> kafka;
    private final String instance = "gateway-" + UUID.randomUUID().toString().substring(0, 8);

    IngestHeartbeat(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    @Scheduled(fixedDelayString = "${vigil.gateway.heartbeat-interval:1s}", initialDelayString = "${vigil.gateway.heartbeat-interval:1s}")
    void beat() {
        Instant now = Instant.now();
        try {
            for (PartitionInfo partition : kafka.partitionsFor(Topics.EVENTS)) {
                BackupEvent heartbeat = new BackupEvent("heartbeat-" + instance + "-" + partition.partition() + "-"
                        + now.toEpochMilli(), Source.GENERIC, EventType.HEARTBEAT, Outcome.NONE, now, now,
                        new JobKey(IngestControl.RESERVED_TENANT, "gateway", instance), null, null, null, Map.of(), null);
                ProducerRecord<String, Object> record = CloudEventRecords.record(Topics.EVENTS, heartbeat.job().asString(),
                        heartbeat, heartbeat.id(), heartbeat.cloudEventType(), "gateway", now, null);
                record.headers().add(IngestControl.HEADER, IngestControl.HEARTBEAT.getBytes(StandardCharsets.UTF_8));
                kafka.send(new ProducerRecord<>(record.topic(), partition.partition(), record.key(), record.value(),
                        record.headers()));
            }
        } catch (RuntimeException e) {
            log.debug("heartbeat not written: {}", e.toString());
        }
    }
}
