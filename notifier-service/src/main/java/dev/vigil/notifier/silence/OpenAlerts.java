package dev.vigil.notifier.silence;

import dev.vigil.kafka.FollowedTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/** The alerts that are FIRING now, followed from {@code backup.alerts}: what a silence's end may release. */
@Component
public class OpenAlerts extends FollowedTopic {

    private final Map<String, Alert> firing = new ConcurrentHashMap<>();

    public OpenAlerts(KafkaProperties properties) {
        super(properties.buildConsumerProperties(), Topics.ALERTS);
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Alert alert = Json.read(record.value(), Alert.class);
        if (alert.status() == AlertStatus.FIRING) {
            firing.put(alert.fingerprint(), alert);
        } else {
            firing.remove(alert.fingerprint());
        }
    }

    public List<Alert> firing() {
        return List.copyOf(firing.values());
    }




}
