package dev.vigil.rules;

import dev.vigil.kafka.VigilKafkaProperties;
import dev.vigil.model.Alert;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsConfiguration {

    /** Leave the group on a clean stop, so a restarted or scaled-down instance hands its jobs over at once. */
    @Bean
    StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factory -> factory.setLeaveGroupOnClose(true);
    }

    /**
     * {@code kafkaStreams} in the health: UP while the topology runs, OUT_OF_SERVICE while it starts or rebalances
     * (its state is being restored: status queries would be wrong), DOWN when it has stopped or failed.
     */
    @Bean
    HealthIndicator kafkaStreamsHealthIndicator(StreamsBuilderFactoryBean factory) {
        return () -> {
            KafkaStreams streams = factory.getKafkaStreams();
            KafkaStreams.State state = streams == null ? KafkaStreams.State.CREATED : streams.state();
            Health.Builder health = switch (state) {
                case RUNNING -> Health.up();
                case CREATED, REBALANCING -> Health.outOfService();
                default -> Health.down();
            };
            return health.withDetail("state", state.name()).build();
        };
    }

    @Bean
    KStream<String, Alert> alertStream(StreamsBuilder builder, RulesProperties properties, VigilKafkaProperties kafka) {
        return AlertTopology.build(builder, properties, kafka.partitions());
    }
}
