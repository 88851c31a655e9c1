package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** The gateway's ingest heartbeat reaches every partition of backup.events, so every rules task sees it. */
@SpringBootTest(properties = {"spring.config.name=gateway", "server.port=0", "management.server.port=0",
        "vigil.gateway.heartbeat-interval=200ms"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class IngestHeartbeatTests {

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void everyPartitionGetsHeartbeats() {
        try (TopicTail tail = TopicTail.open(broker.getBrokersAsString(), Topics.EVENTS)) {
            List<ConsumerRecord<String, String>> records = tail.await(9, Topics.EVENTS, Duration.ofSeconds(20));
            assertThat(records).extracting(ConsumerRecord::partition).contains(0, 1, 2);
            assertThat(TopicTail.values(records, BackupEvent.class)).extracting(BackupEvent::type)
                    .containsOnly(EventType.HEARTBEAT);
            assertThat(records).allSatisfy(record -> assertThat(new String(record.headers()
                    .lastHeader(dev.vigil.kafka.IngestControl.HEADER).value(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(dev.vigil.kafka.IngestControl.HEARTBEAT));
            assertThat(TopicTail.values(records, BackupEvent.class)).allSatisfy(beat ->
                    assertThat(beat.job().tenant()).isEqualTo(dev.vigil.kafka.IngestControl.RESERVED_TENANT));
        }
    }
}
