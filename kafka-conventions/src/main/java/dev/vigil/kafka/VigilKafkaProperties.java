package dev.vigil.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Topic layout and consumer error handling shared by every Vigil service.
 *
 * @param partitions  partitions of each topic Vigil declares
 * @param replicas    replication factor of each topic (1 on a single local broker, 3 in production)
 * @param retry       back-off of a failing listener before the record goes to the dead-letter topic
 */
@ConfigurationProperties("vigil.kafka")
public record VigilKafkaProperties(@DefaultValue("3") int partitions, @DefaultValue("1") short replicas,
                                   @DefaultValue Retry retry) {

    /**
     * @param initialInterval first back-off
     * @param multiplier      growth of each further back-off
     * @param maxInterval     longest single back-off
     * @param maxAttempts     tries after the first before the record is dead-lettered
     */
    public record Retry(@DefaultValue("1s") Duration initialInterval, @DefaultValue("2.0") double multiplier,
                        @DefaultValue("30s") Duration maxInterval, @DefaultValue("5") int maxAttempts) {
    }
}
