package dev.vigil.notifier.silence;

import dev.vigil.kafka.TopicFollower;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** The alerts that are FIRING now, followed from {@code backup.alerts}: what a silence's end may release. */
@Component
public class OpenAlerts implements SmartLifecycle {

    private final Map<String, Alert> firing = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    public OpenAlerts(KafkaProperties properties) {
        this.follower = new TopicFollower(properties.buildConsumerProperties(), Topics.ALERTS, record -> {
            if (record.value() == null) {
                return;
            }
            Alert alert = Json.read(record.value(), Alert.class);
            if (alert.status() == AlertStatus.FIRING) {
                firing.put(alert.fingerprint(), alert);
            } else {
                firing.remove(alert.fingerprint());
            }
        });
    }

    public List<Alert> firing() {
        return List.copyOf(firing.values());
    }

    @Override
    public void start() {
        follower.start(Duration.ofSeconds(60));
    }

    @Override
    public void stop() {
        follower.close();
    }

    @Override
    public boolean isRunning() {
        return follower.isRunning();
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
