package dev.vigil.notifier;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * The notifier's liveness: {@code DOWN} when a Kafka listener container that starts with the application is no longer
 * running. A container stops for good on an {@link Error} (an {@code OutOfMemoryError} in a listener), and then alerts
 * are no longer told while the process itself looks alive; in the liveness group ({@code notifier.yml}) this makes
 * Kubernetes restart the pod, which goes on from the committed offsets. Before the application is ready the
 * containers are still starting, and it is {@code UP}.
 */
@Component("kafkaListeners")
public class KafkaListenersHealth implements HealthIndicator {

    private final KafkaListenerEndpointRegistry registry;
    private final AtomicBoolean ready = new AtomicBoolean();

    public KafkaListenersHealth(KafkaListenerEndpointRegistry registry) {
        this.registry = registry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        ready.set(true);
    }

    /** {@code DOWN} with the ids of the stopped containers in {@code stopped}; else {@code UP}. */
    @Override
    public Health health() {
        if (!ready.get()) {
            return Health.up().withDetail("starting", true).build();
        }
        List<String> stopped = registry.getListenerContainers().stream()
                .filter(container -> container.isAutoStartup() && !container.isRunning())
                .map(MessageListenerContainer::getListenerId).toList();
        return stopped.isEmpty() ? Health.up().build() : Health.down().withDetail("stopped", stopped).build();
    }
}
