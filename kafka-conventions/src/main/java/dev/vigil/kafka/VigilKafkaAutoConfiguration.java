package dev.vigil.kafka;

import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The one Kafka configuration of every Vigil service, so no service copies it:
 * <ol>
 *   <li>records are JSON in the shared-model mapping, keys are strings; no record carries a type header (a Java class
 *       name on a topic others read): readers know a topic's type ({@link TopicValueType});</li>
 *   <li>producers are idempotent with {@code acks=all}: an acknowledged send is on every in-sync replica;</li>
 *   <li>a listener that fails backs off exponentially, then the record goes to {@code <topic>.dlt};
 *       a record that cannot be deserialised goes there at once;</li>
 *   <li>every topic Vigil owns is declared here, with its dead-letter twin.</li>
 * </ol>
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(VigilKafkaProperties.class)
public class VigilKafkaAutoConfiguration {

    /** Topics whose latest value per key is the state: compacted, never deleted by age. */
    static final List<String> COMPACTED = List.of(Topics.ACCOUNTS, InternalTopics.ACCOUNT_ACTIVITY, Topics.SILENCES,
            InternalTopics.REGISTRATIONS, InternalTopics.ALERT_STATES);

    @Bean
    DefaultKafkaProducerFactoryCustomizer vigilProducerDefaults() {
        return factory -> {
            factory.updateConfigs(Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
            @SuppressWarnings("unchecked")
            var typed = (DefaultKafkaProducerFactory<String, Object>) factory;
            typed.setKeySerializer(new StringSerializer());
            typed.setValueSerializer(VigilSerdes.serializer());
        };
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer vigilConsumerDefaults(
            org.springframework.beans.factory.ObjectProvider<TopicValueType> privateTopics) {
        Map<String, Class<?>> types = new java.util.HashMap<>();
        TopicValueType.SHARED.forEach(t -> types.put(t.topic(), t.type()));
        privateTopics.orderedStream().forEach(t -> types.put(t.topic(), t.type()));
        return factory -> {
            factory.updateConfigs(Map.of(
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    // The rules service writes alerts in transactions: never read an aborted one.
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
            JacksonJsonDeserializer<Object> json = new JacksonJsonDeserializer<>(Json.mapper());
            // records carry no type header: the topic says what a value is
            json.setTypeResolver((topic, data, headers) -> Json.mapper().constructType(TopicValueType.of(types, topic)));
            @SuppressWarnings("unchecked")
            var typed = (DefaultKafkaConsumerFactory<String, Object>) factory;
            typed.setKeyDeserializer(new StringDeserializer());
            typed.setValueDeserializer(new ErrorHandlingDeserializer<>(json));
        };
    }

    /** Boot wires this single error handler into every listener container factory. */
    @Bean
    @ConditionalOnMissingBean
    DefaultErrorHandler vigilErrorHandler(KafkaOperations<Object, Object> operations, KafkaProperties kafka,
                                          VigilKafkaProperties properties,
                                          org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        // A record that could not be deserialised is dead-lettered as the bytes it was, not re-encoded as JSON.
        Map<String, Object> producer = kafka.buildProducerProperties();
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaOperations<String, byte[]> raw = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer,
                new StringSerializer(), new ByteArraySerializer()));
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, raw);
        templates.put(Object.class, operations);
        var recoverer = new DeadLetterPublishingRecoverer(templates,
                (record, exception) -> {
                    DeadLetters.count(meters.getIfAvailable(), record.topic());
                    return new TopicPartition(record.topic() + Topics.DEAD_LETTER_SUFFIX, -1);
                });
        VigilKafkaProperties.Retry retry = properties.retry();
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setMaxAttempts(retry.maxAttempts());
        return new DefaultErrorHandler(recoverer, backOff);
    }

    @Bean
    KafkaAdmin.NewTopics vigilTopics(VigilKafkaProperties properties) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : List.of(Topics.EVENTS, Topics.REJECTED, Topics.ACCOUNTS, InternalTopics.ACCOUNT_ACTIVITY, Topics.ALERTS, Topics.SILENCES,
                InternalTopics.NOTIFICATIONS, InternalTopics.NOTIFICATION_GROUPS, InternalTopics.DIRECTORY_WAIT, Topics.DELIVERIES, InternalTopics.REGISTRATIONS, Topics.CHANGES, InternalTopics.ALERT_STATES)) {
            TopicBuilder builder = TopicBuilder.name(name).partitions(properties.partitions())
                    .replicas(properties.replicas());
            if (COMPACTED.contains(name)) {
                builder.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            topics.add(builder.build());
            topics.add(TopicBuilder.name(name + Topics.DEAD_LETTER_SUFFIX).partitions(properties.partitions())
                    .replicas(properties.replicas()).build());
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    /** Puts the trace id of the record being handled in the MDC, for every listener's log lines. */
    @Bean
    @ConditionalOnMissingBean(org.springframework.kafka.listener.RecordInterceptor.class)
    org.springframework.kafka.listener.RecordInterceptor<Object, Object> traceIdInterceptor() {
        return new org.springframework.kafka.listener.RecordInterceptor<>() {
            @Override
            public org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object> intercept(
                    org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object> record,
                    org.apache.kafka.clients.consumer.Consumer<Object, Object> consumer) {
                String traceId = CloudEventRecords.header(record.headers(), dev.vigil.model.CloudEventHeaders.TRACE_ID);
                if (traceId != null) {
                    org.slf4j.MDC.put(CloudEventRecords.TRACE_ID_MDC, traceId);
                }
                return record;
            }

            @Override
            public void afterRecord(org.apache.kafka.clients.consumer.ConsumerRecord<Object, Object> record,
                                    org.apache.kafka.clients.consumer.Consumer<Object, Object> consumer) {
                org.slf4j.MDC.remove(CloudEventRecords.TRACE_ID_MDC);
            }
        };
    }

    /** A {@code kafka} health indicator where Actuator's health support is on the class path. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(
            name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class KafkaHealthConfiguration {

        @Bean(name = "kafkaHealthIndicator")
        @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
        KafkaHealthIndicator kafkaHealthIndicator(org.springframework.boot.kafka.autoconfigure.KafkaProperties kafka) {
            return new KafkaHealthIndicator(kafka.buildAdminProperties());
        }
    }
}
