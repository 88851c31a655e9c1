package dev.vigil.rules;

import dev.vigil.kafka.InternalTopics;
import dev.vigil.kafka.StateSerde;
import dev.vigil.kafka.VigilSerdes;
import dev.vigil.model.AccountSettings;
import dev.vigil.model.Alert;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.JobKey;
import dev.vigil.model.Topics;
import dev.vigil.rules.account.AccountsUpdater;
import dev.vigil.rules.account.ActivityForwarder;
import dev.vigil.rules.account.NeverUsedProcessor;
import dev.vigil.rules.job.EventGate;
import dev.vigil.rules.job.JobHistory;
import dev.vigil.rules.job.JobProcessor;
import dev.vigil.rules.job.JobState;
import dev.vigil.rules.job.JobStateSerde;
import dev.vigil.rules.rule.AnomalyRule;
import dev.vigil.rules.rule.ClientVersionRule;
import dev.vigil.rules.rule.EventRule;
import dev.vigil.rules.rule.FailedBackupRule;
import dev.vigil.rules.rule.LoginRule;
import dev.vigil.rules.rule.MediaRule;
import dev.vigil.rules.rule.MissedScheduleRule;
import dev.vigil.rules.rule.QuotaForecastRule;
import dev.vigil.rules.rule.QuotaRule;
import dev.vigil.rules.rule.ScheduleCutRule;
import dev.vigil.rules.rule.ScriptCheckRule;
import dev.vigil.rules.schedule.Deadlines;
import dev.vigil.rules.schedule.Schedule;
import dev.vigil.rules.schedule.ScheduleTracker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.function.Function;
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

    /** Every event rule, in the order they are asked. */
    public static List<EventRule> eventRules(RulesProperties p) {
        return List.of(
                new FailedBackupRule(p.failedBackup().consecutiveFailures()),
                new MissedScheduleRule(),
                new QuotaRule(p.quota().thresholdPercent(), p.quota().hysteresisPercent()),
                new QuotaForecastRule(p.quota().forecastDays()),
                new AnomalyRule(p.anomaly().minHistory(), p.anomaly().deviation(), p.anomaly().minChange()),
                new ScriptCheckRule(),
                new ScheduleCutRule(),
                new LoginRule(p.login().failedAttempts()),
                new MediaRule(p.media().waitMinutes()),
                new ClientVersionRule(p.clientVersions()));
    }

    public static KStream<String, Alert> build(StreamsBuilder builder, RulesProperties properties, int partitions) {
        return build(builder, properties, partitions, eventRules(properties));
    }

    /**
     * The dataflow with the given event rules.
     *
     * @param partitions partitions of {@code backup.events} (the never-used check spreads its work by them)
     */
    public static KStream<String, Alert> build(StreamsBuilder builder, RulesProperties properties, int partitions,
                                               List<EventRule> rules) {
        // 0. every account's settings from the directory, in every instance
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AccountsUpdater.STORE),
                        Serdes.String(), VigilSerdes.json(AccountSettings.class)).withLoggingDisabled(),
                Topics.ACCOUNTS, Consumed.with(Serdes.String(), VigilSerdes.json(AccountSettings.class)),
                AccountsUpdater::new);
        // 1. per-job state, the deadlines ordered by time and the ingest watermark: RocksDB, changelogged
        // the job state is Smile (binary, instants as numbers): it is read and written for every event. Job states and
        // deadlines are not cached: their keys rarely repeat within a commit interval, so a record cache only costs
        // (measured: a third of the stream thread's time went to the cache's puts, evictions and flushes); the
        // watermark, one key written by every heartbeat, is.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JobProcessor.STORE),
                Serdes.String(), JobStateSerde.jobState()));
        // each job's last events, one entry written per event (not the whole history again with the state)
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JobHistory.STORE),
                Serdes.String(), JobStateSerde.historySlot()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Deadlines.STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JobProcessor.WATERMARK_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        // event ids seen per job, each at the start of its dedup-window-long bucket of ingest time (SeenEvents): a
        // retention of three windows, so a record late by less than a window still reads the bucket before its own
        Duration dedup = properties.dedupWindow();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(JobProcessor.SEEN_BY_BUCKET_STORE,
                dedup.multipliedBy(3), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
        // the form before, each id at its exact time: only read now, while its ids can still match
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(JobProcessor.SEEN_STORE,
                dedup.multipliedBy(2), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
        ScheduleTracker tracker = new ScheduleTracker(properties.schedule().tolerance());
        Function<JobKey, Schedule> configured = configuredSchedules(properties);
        // 2. every event of a job (keyed by job) through the rules; deadlines through the punctuator
        // every record through one gate: heartbeats only from the gateway, every caller's value bounded
        KStream<String, BackupEvent> events = builder.stream(Topics.EVENTS,
                Consumed.with(Serdes.String(), events())).processValues(EventGate::new);
        KStream<String, Alert> jobAlerts = events
                .process(() -> new JobProcessor(rules, tracker, configured, properties.schedule(), dedup),
                        JobProcessor.STORE, JobHistory.STORE, Deadlines.STORE, JobProcessor.WATERMARK_STORE, JobProcessor.SEEN_BY_BUCKET_STORE,
                        JobProcessor.SEEN_STORE);
        // 3. accounts that never sent anything: the first activity of each account, keyed by account
        //    and the ingest watermark to every partition of it, so "never used" is judged on Vigil's time too
        events.filter((key, event) -> event != null)
                .process(ActivityForwarder::new)
                .to(InternalTopics.ACCOUNT_ACTIVITY, Produced.with(Serdes.String(), Serdes.Long())
                        .withStreamPartitioner(AlertTopology::watermarkToEveryPartition));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NeverUsedProcessor.FIRST_SEEN_STORE),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NeverUsedProcessor.OPEN_STORE),
                Serdes.String(), StateSerde.of(Alert.class)));
        KStream<String, Alert> accountAlerts = builder
                .stream(InternalTopics.ACCOUNT_ACTIVITY, Consumed.with(Serdes.String(), Serdes.Long()))
                .process(() -> new NeverUsedProcessor(properties.neverUsed().after(), partitions),
                        NeverUsedProcessor.FIRST_SEEN_STORE, NeverUsedProcessor.OPEN_STORE);
        // 4. alert transitions, keyed by fingerprint
        KStream<String, Alert> alerts = jobAlerts.merge(accountAlerts);
        alerts.to(Topics.ALERTS, Produced.with(Serdes.String(), VigilSerdes.json(Alert.class)));
        return alerts;
    }

    /**
     * The events of {@code backup.events} as JSON ({@link VigilSerdes#json}) without their {@code raw} input, which no
     * rule reads: Jackson skips it instead of decoding it into a string for every event (the history keeps where its
     * record is, for the console). Public for the benchmarks, which read the backlog as the rules do.
     */
    public static org.apache.kafka.common.serialization.Serde<BackupEvent> events() {
        tools.jackson.databind.ObjectReader reader = dev.vigil.model.Json.mapper().rebuild()
                .addMixIn(BackupEvent.class, WithoutRaw.class).build().readerFor(BackupEvent.class);
        return Serdes.serdeFrom(VigilSerdes.json(BackupEvent.class).serializer(),
                (topic, bytes) -> bytes == null ? null : reader.readValue(bytes));
    }

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties("raw")
    private interface WithoutRaw {
    }

    /** The watermark goes to every partition of the activity topic; an account's activity where its key hashes. */
    private static Optional<Set<Integer>> watermarkToEveryPartition(String topic, String key, Long value, int partitions) {
        if (!NeverUsedProcessor.WATERMARK_KEY.equals(key)) {
            return Optional.empty();
        }
        return Optional.of(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
    }

    private static Function<JobKey, Schedule> configuredSchedules(RulesProperties properties) {
        Map<String, Schedule> byJob = new HashMap<>();
        for (RulesProperties.JobSchedule job : properties.schedule().jobs()) {
            byJob.put(job.job(), Schedule.cron(job.cron(), job.zone(), "config"));
        }
        return key -> byJob.get(key.asString());
    }
}
