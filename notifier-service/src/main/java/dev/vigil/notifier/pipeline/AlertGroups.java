package dev.vigil.notifier.pipeline;

import dev.vigil.kafka.InternalTopics;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.FollowedTopic;
import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Alertmanager's grouping, kept on Kafka: alerts of one group that arrive within {@code group-wait} of the
 * group's first alert become one message; alerts that join later wait for the next {@code group-interval}. The
 * groups are rebuilt from {@code backup.notification-groups} at start-up (members, and the batches already sent),
 * and a batch's windows come from the members' record timestamps, so after a crash the same batch is rebuilt with
 * the same delivery ids and the delivery ledger sends it once. An alert that was grouped is never lost: it is on
 * the topic before its {@code backup.alerts} offset is committed.
 */
@Component
class AlertGroups extends FollowedTopic {

    private static final Logger log = LoggerFactory.getLogger(AlertGroups.class);

    /** How long after a window ends its batch is taken: room for members written just before the end. */
    private static final Duration GRACE = Duration.ofSeconds(1);
    /**
     * How much longer than its group-interval an idle group is kept: an alert written just before the interval
     * ended but read just after still finds its group, as it would on a replay.
     */
    private static final Duration IDLE_MARGIN = Duration.ofMinutes(1);
    /** How long a sent transition is remembered: far longer than an alert is ever redelivered after. */
    private static final Duration REMEMBER_SENT = Duration.ofDays(1);

    private final NotificationPipeline pipeline;
    private final KafkaTemplate<String, Object> kafka;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    /**
     * Alert transitions already sent in a batch, oldest first, with when the batch was sent: a redelivered alert
     * does not join its group again.
     */
    private final LinkedHashMap<String, Instant> sent = new LinkedHashMap<>();
    private volatile boolean live;

    private final AlertOwnership ownership;

    AlertGroups(KafkaProperties properties, NotificationPipeline pipeline, KafkaTemplate<String, Object> kafka,
                AlertOwnership ownership) {
        super(properties.buildConsumerProperties(), InternalTopics.NOTIFICATION_GROUPS);
        this.ownership = ownership;
        this.pipeline = pipeline;
        this.kafka = kafka;
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        GroupEntry entry = Json.read(record.value(), GroupEntry.class);
        synchronized (this) {
            if (entry.isMember()) {
                if (!sent.containsKey(entry.memberId())) {
                    groups.computeIfAbsent(entry.group(), g -> new Group(entry.receiver(), entry.groupWait(), entry.groupInterval(),
                            entry.channels()))
                            .add(new Member(entry.memberId(), entry.alert(), entry.traceId(),
                                    Instant.ofEpochMilli(record.timestamp())));
                }
            } else {
                entry.flushed().forEach(id -> sent.put(id, Instant.ofEpochMilli(record.timestamp())));
                Group group = groups.get(entry.group());
                if (group != null) {
                    group.flushed(entry.flushedWindow(), entry.flushed());
                }
            }
        }
    }

    @Override
    protected void caughtUp() {
        synchronized (this) {
            log.info("notification groups caught up: {} groups, {} alerts waiting", groups.size(),
                    groups.values().stream().mapToInt(g -> g.members.size()).sum());
        }
        live = true;
    }

    /** Hands every batch whose window has ended to the pipeline, then records it as sent. */
    @Scheduled(fixedDelayString = "${vigil.notifier.group-check-interval:1s}", initialDelayString = "1s")
    void flushDue() {
        if (!live) {
            return;
        }
        Instant now = Instant.now();
        for (Batch batch : due(now)) {
            if (!ownership.ownsGroup(batch.group)) {
                continue; // another instance sends this group's batches; its flush record removes them here
            }
            if (batch.members.get(0).traceId != null) {
                org.slf4j.MDC.put(CloudEventRecords.TRACE_ID_MDC, batch.members.get(0).traceId);
            }
            try {
                pipeline.deliverGroup(batch.receiver, batch.group, batch.window,
                        batch.alerts(), batch.ids(), batch.members.get(0).traceId, batch.channels);
                GroupEntry flush = GroupEntry.flush(batch.group, batch.receiver, batch.window, batch.ids());
                kafka.send(CloudEventRecords.record(InternalTopics.NOTIFICATION_GROUPS, batch.group, flush,
                        batch.group + "@" + batch.window, "dev.vigil.notification.group-sent", "notifier", now,
                        batch.members.get(0).traceId)).get(10, TimeUnit.SECONDS);
                synchronized (this) {
                    flush.flushed().forEach(id -> sent.put(id, now));
                    Group group = groups.get(batch.group);
                    if (group != null) {
                        group.flushed(batch.window, flush.flushed());
                    }
                }
            } catch (Exception e) {
                log.warn("group {} not sent yet, will try again: {}", batch.group, e.toString());
            } finally {
                org.slf4j.MDC.remove(CloudEventRecords.TRACE_ID_MDC);
            }
        }
    }

    private synchronized List<Batch> due(Instant now) {
        for (Iterator<Instant> oldest = sent.values().iterator(); oldest.hasNext(); ) {
            if (oldest.next().isAfter(now.minus(REMEMBER_SENT))) {
                break;
            }
            oldest.remove();
        }
        List<Batch> due = new ArrayList<>();
        for (Iterator<Map.Entry<String, Group>> it = groups.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Group> entry = it.next();
            Group group = entry.getValue();
            if (group.window != null && !now.isBefore(group.window.plus(GRACE))) {
                due.add(new Batch(entry.getKey(), group.receiver, group.window, group.batch(), group.channels));
            } else if (group.window == null && (group.lastWindow == null
                    || now.isAfter(group.lastWindow.plus(group.interval).plus(IDLE_MARGIN)))) {
                it.remove(); // idle: the next alert would open the group anew (with group-wait) anyway
            }
        }
        return due;
    }

    /** The alerts waiting in each group, for tests and the status of the notifier. */
    synchronized Map<String, Integer> waiting() {
        Map<String, Integer> waiting = new LinkedHashMap<>();
        groups.forEach((key, group) -> waiting.put(key, group.members.size()));
        return waiting;
    }

    private record Member(String id, Alert alert, String traceId, Instant at) {
    }

    private record Batch(String group, String receiver, Instant window, List<Member> members, List<String> channels) {
        /** Every member's id: together they make the batch's delivery ids. */
        List<String> ids() {
            return members.stream().map(Member::id).toList();
        }

        /** Each alert once, in its latest transition (an alert that fired and resolved within the window). */
        List<Alert> alerts() {
            Map<String, Alert> latest = new LinkedHashMap<>();
            members.forEach(m -> latest.put(m.alert.fingerprint(), m.alert));
            return List.copyOf(latest.values());
        }
    }

    /** One group: its waiting members, the end of its open window and of the last one sent. */
    private static final class Group {
        final String receiver;
        final Duration wait;
        final Duration interval;
        final List<String> channels;
        final List<Member> members = new ArrayList<>();
        Instant window;
        Instant lastWindow;

        Group(String receiver, Duration wait, Duration interval, List<String> channels) {
            this.receiver = receiver;
            this.channels = channels;
            this.wait = wait;
            this.interval = interval;
        }

        void add(Member member) {
            if (members.stream().noneMatch(m -> m.id.equals(member.id))) {
                members.add(member);
                if (window == null) {
                    window = open(member.at);
                }
            }
        }

        /** A first alert waits group-wait; one within group-interval of the last batch waits for that interval. */
        private Instant open(Instant at) {
            return lastWindow != null && at.isBefore(lastWindow.plus(interval)) ? lastWindow.plus(interval)
                    : at.plus(wait);
        }

        /** The members that joined before the open window ended. */
        List<Member> batch() {
            return members.stream().filter(m -> m.at.isBefore(window)).toList();
        }

        void flushed(Instant sentWindow, Collection<String> ids) {
            members.removeIf(m -> ids.contains(m.id));
            if (lastWindow == null || sentWindow.isAfter(lastWindow)) {
                lastWindow = sentWindow;
            }
            window = members.isEmpty() ? null : open(members.get(0).at);
        }
    }
}
