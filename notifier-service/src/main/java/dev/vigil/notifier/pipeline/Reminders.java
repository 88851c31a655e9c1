package dev.vigil.notifier.pipeline;

import dev.vigil.model.Alert;
import dev.vigil.notifier.NotifierProperties;
import dev.vigil.notifier.silence.OpenAlerts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Alertmanager's {@code repeat_interval}: an alert still firing after n intervals is notified again, the n-th
 * reminder, on every channel (healthchecks only nags by email). Reminder n has its own deterministic delivery
 * ids, so after a restart a reminder already sent is not sent again; silences hold reminders back too. With several
 * instances, an alert is reminded of by the one that owns it ({@link AlertOwnership}).
 */
@Component
class Reminders {

    private static final Logger log = LoggerFactory.getLogger(Reminders.class);

    private final OpenAlerts openAlerts;
    private final NotificationPipeline pipeline;
    private final Duration interval;
    private final Map<String, Integer> done = new ConcurrentHashMap<>();

    private final AlertOwnership ownership;

    Reminders(OpenAlerts openAlerts, NotificationPipeline pipeline, NotifierProperties properties,
              AlertOwnership ownership) {
        this.ownership = ownership;
        this.openAlerts = openAlerts;
        this.pipeline = pipeline;
        this.interval = properties.repeatInterval();
    }

    @Scheduled(fixedDelayString = "${vigil.notifier.reminder-check-interval:30s}", initialDelayString = "10s")
    void remind() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        Instant now = Instant.now();
        // each alert is reminded of by the one instance that owns its partition of backup.alerts
        java.util.List<Alert> firing = openAlerts.firing().stream().filter(a -> ownership.owns(a.fingerprint())).toList();
        for (Alert alert : firing) {
            if (alert.startsAt() == null) {
                continue;
            }
            int due = (int) (Duration.between(alert.startsAt(), now).toMillis() / interval.toMillis());
            String key = alert.fingerprint() + "|" + alert.startsAt();
            if (due < 1 || done.getOrDefault(key, 0) >= due) {
                continue;
            }
            try {
                pipeline.handle(alert, null, due);
                done.put(key, due);
            } catch (Exception e) {
                log.warn("reminder {} of {} not sent yet: {}", due, alert.fingerprint(), e.toString());
            }
        }
        java.util.Set<String> open = new java.util.HashSet<>();
        firing.forEach(a -> open.add(a.fingerprint() + "|" + a.startsAt()));
        done.keySet().retainAll(open);
    }
}
