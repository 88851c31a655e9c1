package dev.vigil.rules.account;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.AlertRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * "Never used" (stoney's no-backup check): an active account in the directory, older than a number of days, that
 * has never sent an event. Its input is the first event of each account ({@code backup.account-activity}, keyed by
 * account uid); every few minutes it looks through the directory's accounts that this partition owns (the same
 * partitioning as the activity topic) and raises or resolves the alert.
 */
public class NeverUsedProcessor implements Processor<String, Long, String, Alert> {

    public static final String FIRST_SEEN_STORE = "account-first-seen";
    public static final String OPEN_STORE = "never-used-open";

    private final Duration after;
    private final int partitions;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, Long> firstSeen;
    private KeyValueStore<String, Alert> open;
    private KeyValueStore<String, AccountSettings> accounts;

    /**
     * @param after      how old an account must be before its silence counts
     * @param partitions partitions of the activity topic, to know which accounts this task owns
     */
    public NeverUsedProcessor(Duration after, int partitions) {
        this.after = after;
        this.partitions = partitions;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.firstSeen = context.getStateStore(FIRST_SEEN_STORE);
        this.open = context.getStateStore(OPEN_STORE);
        this.accounts = context.getStateStore(AccountsUpdater.STORE);
        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(Record<String, Long> record) {
        if (record.value() == null || firstSeen.get(record.key()) != null) {
            return;
        }
        firstSeen.put(record.key(), record.value());
        Alert alert = open.get(record.key());
        if (alert != null) {
            open.delete(record.key());
            context.forward(AlertRecords.record(alert.resolve(Instant.ofEpochMilli(record.value()), "Account "
                    + record.key() + " has sent its first backup event", alert.eventId()), record.timestamp(), null));
        }
    }

    void check(long now) {
        Instant clock = Instant.ofEpochMilli(now);
        int mine = context.taskId().partition();
        try (KeyValueIterator<String, AccountSettings> all = accounts.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                AccountSettings account = entry.value;
                if (owner(entry.key) != mine || firstSeen.get(entry.key) != null || open.get(entry.key) != null
                        || account == null || !account.active() || account.createdAt() == null
                        || account.createdAt().plus(after).isAfter(clock)) {
                    continue;
                }
                JobKey job = new JobKey(account.tenant() == null ? "default" : account.tenant(), entry.key, "*");
                long days = Duration.between(account.createdAt(), clock).toDays();
                Alert alert = new Alert(Alert.fingerprint(Rules.NEVER_USED, job), Rules.NEVER_USED, Severity.INFO,
                        AlertStatus.FIRING, job, null, "Account " + entry.key + " has not sent a single backup in the "
                        + days + " days since it was created", Map.of("createdAt", account.createdAt().toString()),
                        clock, null, Rules.NEVER_USED + "@" + account.createdAt().toEpochMilli());
                open.put(entry.key, alert);
                context.forward(AlertRecords.record(alert, context.currentSystemTimeMs(), null));
            }
        }
    }

    /** The partition the default partitioner gives this account's activity records. */
    private int owner(String account) {
        return Utils.toPositive(Utils.murmur2(account.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
