package dev.vigil.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The end-to-end scenario on spring-kafka-test's in-process KRaft broker. */
class EndToEndTests extends EndToEndScenario {

    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void startAll() throws Exception {
        start();
    }

    @Override
    String startKafka() {
        broker = new EmbeddedKafkaKraftBroker(1, 1).brokerProperties(java.util.Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1"));
        ((EmbeddedKafkaKraftBroker) broker).afterPropertiesSet();
        return broker.getBrokersAsString();
    }

    @Override
    void stop() {
        super.stop();
        if (broker != null) {
            broker.destroy();
        }
    }
}
