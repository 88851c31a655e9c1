package dev.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.JobKey;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** The shared Kafka conventions on a real broker: JSON records, back-off then dead letter, poison pills. */
@SpringBootTest(classes = VigilKafkaConventionsTests.App.class, properties = {
        "vigil.kafka.retry.initial-interval=20ms", "vigil.kafka.retry.max-attempts=2"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class VigilKafkaConventionsTests {

    static final AtomicInteger calls = new AtomicInteger();

    @SpringBootApplication
    static class App {
        @KafkaListener(topics = Topics.REJECTED, groupId = "conventions-test")
        void alwaysFails(RejectedInput input) {
            calls.incrementAndGet();
            throw new IllegalStateException("cannot handle " + input.source());
        }
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void aFailingRecordIsRetriedWithBackOffThenDeadLetteredWithTheReason() throws Exception {
        try (TopicTail dlt = TopicTail.open(broker.getBrokersAsString(), Topics.REJECTED + Topics.DEAD_LETTER_SUFFIX)) {
            kafka.send(Topics.REJECTED, "retrospect", new RejectedInput("retrospect", "/x", "POST", 400, "bad",
                    "raw", false, Map.of(), "127.0.0.1", Instant.now())).get();

            List<ConsumerRecord<String, String>> dead = dlt.await(1, r -> true, Duration.ofSeconds(20));
            assertThat(dead).hasSize(1);
            assertThat(TopicTail.value(dead.get(0), RejectedInput.class).source()).isEqualTo("retrospect");
            assertThat(new String(dead.get(0).headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
                    StandardCharsets.UTF_8)).contains("cannot handle retrospect");
        }
        assertThat(calls.get()).isEqualTo(3); // the first try and two retries
    }

    @Test
    void aRecordThatIsNotJsonGoesToTheDeadLetterTopicAtOnce() throws Exception {
        int before = calls.get();
        try (TopicTail dlt = TopicTail.open(broker.getBrokersAsString(), Topics.REJECTED + Topics.DEAD_LETTER_SUFFIX);
             KafkaProducer<String, String> raw = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                     new StringSerializer(), new StringSerializer())) {
            raw.send(new ProducerRecord<>(Topics.REJECTED, "x", "this is not json")).get();

            List<ConsumerRecord<String, String>> dead = dlt.await(1, r -> true, Duration.ofSeconds(20));
            assertThat(dead).extracting(ConsumerRecord::value).containsExactly("this is not json");
        }
        assertThat(calls.get()).isEqualTo(before);
    }

    @Test
    void jobKeysRoundTripThroughTheirStringForm() {
        assertThat(JobKey.parse("t/a/j").asString()).isEqualTo("t/a/j");
    }
}
