package dev.vigil.rules;

import dev.vigil.kafka.VigilSerdes;
import dev.vigil.model.Alert;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Topics;
import dev.vigil.rules.job.JobProcessor;
import dev.vigil.rules.job.JobState;
import dev.vigil.rules.rule.EventRule;
import dev.vigil.rules.rule.FailedBackupRule;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** The dataflow of the rules service: {@code backup.events} → per-job rules → {@code backup.alerts}. */
public final class AlertTopology {

    private AlertTopology() {
    }

    public static List<EventRule> eventRules(RulesProperties properties) {
        return List.of(new FailedBackupRule(properties.failedBackup().consecutiveFailures()));
    }

    public static KStream<String, Alert> build(StreamsBuilder builder, RulesProperties properties) {
        // 1. per-job state, in RocksDB, backed by a changelog topic
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JobProcessor.STORE),
                Serdes.String(), VigilSerdes.json(JobState.class)));
        List<EventRule> rules = eventRules(properties);
        // 2. every event of a job (keyed by job) through the event rules
        KStream<String, Alert> alerts = builder
                .stream(Topics.EVENTS, Consumed.with(Serdes.String(), VigilSerdes.json(BackupEvent.class)))
                .process(() -> new JobProcessor(rules), JobProcessor.STORE);
        // 3. alert transitions, keyed by fingerprint
        alerts.to(Topics.ALERTS, Produced.with(Serdes.String(), VigilSerdes.json(Alert.class)));
        return alerts;
    }
}
