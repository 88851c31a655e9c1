package dev.vigil.rules;

import dev.vigil.model.Alert;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;

@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsConfiguration {

    @Bean
    KStream<String, Alert> alertStream(StreamsBuilder builder, RulesProperties properties) {
        return AlertTopology.build(builder, properties);
    }
}
