package dev.vigil.rules.account;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.AlertRecords;
import dev.vigil.rules.job.Values;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Time is the ingest watermark, not the clock: the gateway's heartbeats reach every partition of the activity
 * topic ({@link #WATERMARK_KEY}), so while Vigil is not ingesting no account is judged, and one whose first event
 * waited in a client is not called unused. An open alert resolves with the account's first event, or when the
 * account is deleted from the directory or no longer active.
 */
public class NeverUsedProcessor implements Processor<String, Long, String, Alert> {

    public static final String FIRST_SEEN_STORE = "account-first-seen";
    public static final String OPEN_STORE = "never-used-open";
    /** Key of the ingest watermark on the activity topic (no account uid starts with NUL); its value epoch millis. */
    public static final String WATERMARK_KEY = "\u0000ingest";

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
        if (record.value() == null) {
            return;
        }
        if (WATERMARK_KEY.equals(record.key())) {
            Long mark = firstSeen.get(WATERMARK_KEY);
            if (mark == null || record.value() > mark) {
                firstSeen.put(WATERMARK_KEY, record.value());
            }
            return;
        }
        if (firstSeen.get(record.key()) != null) {
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
        Long mark = firstSeen.get(WATERMARK_KEY);
        if (mark == null) {
            return; // no heartbeat yet: nothing proves that data is complete
        }
        Instant clock = Instant.ofEpochMilli(mark);
        resolveGone(clock);
        int mine = context.taskId().partition();
        try (KeyValueIterator<String, AccountSettings> all = accounts.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                try {
                    judge(entry.key, entry.value, clock, mine);
                } catch (RuntimeException e) {
                    Values.ignored("account"); // one unreadable account never holds back the others
                }
            }
        }
    }

    private void judge(String uid, AccountSettings account, Instant clock, int mine) {
        if (WATERMARK_KEY.equals(uid) || owner(uid) != mine || firstSeen.get(uid) != null || open.get(uid) != null
                || account == null || !account.active() || account.createdAt() == null
                || account.createdAt().plus(after).isAfter(clock)) {
            return;
        }
        JobKey job = new JobKey(account.tenant() == null ? "default" : account.tenant(), uid, "*");
        long days = Duration.between(account.createdAt(), clock).toDays();
        Alert alert = new Alert(Alert.fingerprint(Rules.NEVER_USED, job), Rules.NEVER_USED, Severity.INFO,
                AlertStatus.FIRING, job, null, "Account " + uid + " has not sent a single backup in the "
                + days + " days since it was created", Map.of("createdAt", account.createdAt().toString()),
                clock, null, Rules.NEVER_USED + "@" + account.createdAt().toEpochMilli());
        open.put(uid, alert);
        context.forward(AlertRecords.record(alert, context.currentSystemTimeMs(), null));
    }

    /** Open alerts of accounts deleted from the directory or no longer active resolve: nobody waits for them. */
    private void resolveGone(Instant clock) {
        List<String> gone = new ArrayList<>();
        try (KeyValueIterator<String, Alert> all = open.all()) {
            all.forEachRemaining(entry -> {
                AccountSettings account = accounts.get(entry.key);
                if (account == null || !account.active()) {
                    gone.add(entry.key);
                }
            });
        }
        for (String uid : gone) {
            Alert alert = open.get(uid);
            open.delete(uid);
            AccountSettings account = accounts.get(uid);
            context.forward(AlertRecords.record(alert.resolve(clock, "Account " + uid + (account == null
                    ? " was removed from the directory" : " is no longer active"), alert.eventId()),
                    context.currentSystemTimeMs(), null));
        }
    }

    /** The partition the default partitioner gives this account's activity records. */
    private int owner(String account) {
        return Utils.toPositive(Utils.murmur2(account.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
