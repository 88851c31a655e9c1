package dev.vigil.notifier.silence;

import dev.vigil.kafka.FollowedTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The latest transition of every alert and those FIRING now, followed from the compacted
 * {@code backup.alert-states} (written by the instance that handled each transition, {@code AlertListener}): what a
 * silence's end may release, what is reminded of, what may inhibit, what supersedes a late FIRING. Compacted, so an
 * alert firing for longer than {@code backup.alerts} keeps its records is not forgotten on a restart.
 */
@Component
public class OpenAlerts extends FollowedTopic {

    private final Map<String, Alert> firing = new ConcurrentHashMap<>();
    /**
     * When the latest episode of each alert began and whether it still fires (all {@link #superseded} needs, a
     * hundred bytes instead of the whole alert), the most recently changed 200,000 kept.
     */
    private final Map<String, Latest> latest = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Latest> eldest) {
                    return size() > 200_000;
                }
            });

    public OpenAlerts(KafkaProperties properties) {
        super(properties.buildConsumerProperties(), dev.vigil.kafka.InternalTopics.ALERT_STATES);
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Alert alert = Json.read(record.value(), Alert.class);
        latest.put(alert.fingerprint(), new Latest(alert.startsAt(), alert.status() == AlertStatus.FIRING));
        if (alert.status() == AlertStatus.FIRING) {
            firing.put(alert.fingerprint(), alert);
        } else {
            firing.remove(alert.fingerprint());
        }
    }

    public List<Alert> firing() {
        return List.copyOf(firing.values());
    }

    /**
     * True when a newer transition of the same alert has happened: {@code alert} is FIRING and its episode has been
     * resolved, or a later episode began. Such a FIRING is never delivered after what superseded it (retries
     * included), so the last message a person got about an alert is its latest state.
     */
    public boolean superseded(Alert alert) {
        if (alert.status() != AlertStatus.FIRING || alert.startsAt() == null) {
            return false;
        }
        Latest now = latest.get(alert.fingerprint());
        if (now == null || now.startsAt() == null) {
            return false;
        }
        return now.startsAt().isAfter(alert.startsAt()) || !now.firing() && now.startsAt().equals(alert.startsAt());
    }

    private record Latest(java.time.Instant startsAt, boolean firing) {
    }




}
