package dev.vigil.rules;

import dev.vigil.kafka.VigilKafkaProperties;
import dev.vigil.model.Alert;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(StreamsConfiguration.class);
    /** More thread replacements than this within {@link #REPLACEMENT_WINDOW} end the client (then liveness fails). */
    static final int MAX_REPLACEMENTS = 5;
    static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);

    /**
     * Leave the group on a clean stop, so a restarted or scaled-down instance hands its jobs over at once; replace a
     * stream thread that died of an exception no handler took, a few times, and end the client when threads keep
     * dying, so that liveness fails and the orchestrator restarts the process.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factory -> {
            factory.setLeaveGroupOnClose(true);
            factory.setStreamsUncaughtExceptionHandler(new ThreadReplacement(Clock.systemUTC()));
        };
    }

    /** {@code REPLACE_THREAD}, at most {@link #MAX_REPLACEMENTS} times in {@link #REPLACEMENT_WINDOW}, then end. */
    static final class ThreadReplacement implements StreamsUncaughtExceptionHandler {

        private final Clock clock;
        private final Deque<Instant> replaced = new ArrayDeque<>();

        ThreadReplacement(Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
            Instant now = clock.instant();
            while (!replaced.isEmpty() && replaced.peekFirst().isBefore(now.minus(REPLACEMENT_WINDOW))) {
                replaced.removeFirst();
            }
            Metrics.counter("vigil.rules.stream.thread.failures").increment();
            if (replaced.size() >= MAX_REPLACEMENTS) {
                log.error("stream threads keep failing ({} in {}); ending the client", replaced.size() + 1,
                        REPLACEMENT_WINDOW, exception);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            replaced.addLast(now);
            log.error("a stream thread failed; replacing it", exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
    }

    /**
     * {@code kafkaStreamsLiveness}, in the liveness group: DOWN once the client has ended in ERROR (or stopped while the
     * application still runs), which only a restart mends; UP in every other state, rebalancing included.
     */
    @Bean
    HealthIndicator kafkaStreamsLivenessHealthIndicator(StreamsBuilderFactoryBean factory) {
        return () -> {
            KafkaStreams streams = factory.getKafkaStreams();
            KafkaStreams.State state = streams == null ? KafkaStreams.State.CREATED : streams.state();
            boolean dead = state == KafkaStreams.State.ERROR
                    || (state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_ERROR)
                    && factory.isRunning();
            return (dead ? Health.down() : Health.up()).withDetail("state", state.name()).build();
        };
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
