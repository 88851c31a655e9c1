package dev.vigil.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same scenario against Apache Kafka's own container image. Runs where a Docker engine exists and is
 * skipped cleanly where none does.
 */
@Testcontainers(disabledWithoutDocker = true)
class EndToEndContainerTests extends EndToEndScenario {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @BeforeAll
    void startAll() throws Exception {
        start();
    }

    @Override
    String startKafka() {
        return KAFKA.getBootstrapServers();
    }
}
