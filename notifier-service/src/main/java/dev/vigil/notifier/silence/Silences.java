package dev.vigil.notifier.silence;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.FollowedTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import dev.vigil.model.Silence;
import dev.vigil.model.Topics;
import dev.vigil.notifier.routing.Route;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The silences and maintenance windows, kept on the compacted {@code backup.silences} (so every notifier instance
 * and every restart sees the same ones) and followed into memory.
 */
@Component
public class Silences extends FollowedTopic {

    private final Map<String, Silence> byId = new ConcurrentHashMap<>();
    private final KafkaTemplate<String, Object> kafka;
    private final Clock clock = Clock.systemUTC();

    public Silences(KafkaProperties properties, KafkaTemplate<String, Object> kafka) {
        super(properties.buildConsumerProperties(), Topics.SILENCES);
        this.kafka = kafka;
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            byId.remove(record.key());
        } else {
            Silence silence = Json.read(record.value(), Silence.class);
            byId.put(silence.id(), silence);
        }
    }

    /** The active silence that holds this alert back, if any. */
    public Optional<Silence> silencing(Alert alert) {
        Instant now = clock.instant();
        return byId.values().stream().filter(s -> s.activeAt(now) && Route.matches(s.matchers(), alert))
                .min(Comparator.comparing(Silence::endsAt));
    }

    public List<Silence> all() {
        return byId.values().stream().sorted(Comparator.comparing(Silence::startsAt)).toList();
    }

    public Optional<Silence> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Stores the silence durably, then in this instance's view at once. */
    public Silence save(Silence silence) throws Exception {
        kafka.send(CloudEventRecords.record(Topics.SILENCES, silence.id(), silence, silence.id() + "-" + clock.millis(),
                "dev.vigil.silence", "notifier", clock.instant(), null)).get(10, TimeUnit.SECONDS);
        byId.put(silence.id(), silence);
        return silence;
    }




}
