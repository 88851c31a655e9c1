package dev.vigil.rules;

import dev.vigil.kafka.VigilKafkaProperties;
import dev.vigil.model.Alert;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsConfiguration {

    /** Leave the group on a clean stop, so a restarted or scaled-down instance hands its jobs over at once. */
    @Bean
    StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factory -> factory.setLeaveGroupOnClose(true);
    }

    @Bean
    KStream<String, Alert> alertStream(StreamsBuilder builder, RulesProperties properties, VigilKafkaProperties kafka) {
        return AlertTopology.build(builder, properties, kafka.partitions());
    }
}
