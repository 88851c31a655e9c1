package dev.vigil.notifier.silence;

import dev.vigil.model.Alert;
import dev.vigil.model.Silence;
import dev.vigil.notifier.pipeline.NotificationPipeline;
import dev.vigil.notifier.routing.Route;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * When a silence or maintenance window ends, what it held back (its SUPPRESSED decisions in the audit) and is still
 * firing is notified (Keep's
 * "recover previous status"; Alertmanager forgets it). Deliveries keep their deterministic ids, so what was
 * already sent before the silence is not sent again. With several instances, each alert is released by the one that
 * owns it ({@link dev.vigil.notifier.pipeline.AlertOwnership}).
 */
@Component
class SilenceRelease {

    private static final Logger log = LoggerFactory.getLogger(SilenceRelease.class);

    private final Silences silences;
    private final OpenAlerts openAlerts;
    private final NotificationPipeline pipeline;
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    private final dev.vigil.notifier.pipeline.AlertOwnership ownership;

    private final dev.vigil.notifier.delivery.DeliveryLedger ledger;

    SilenceRelease(Silences silences, OpenAlerts openAlerts, NotificationPipeline pipeline,
                   dev.vigil.notifier.pipeline.AlertOwnership ownership, dev.vigil.notifier.delivery.DeliveryLedger ledger) {
        this.ownership = ownership;
        this.ledger = ledger;
        this.silences = silences;
        this.openAlerts = openAlerts;
        this.pipeline = pipeline;
    }

    /** True when the silence held back a notification of this alert's current episode (the audit says so). */
    private boolean heldBack(Silence silence, Alert alert) {
        return ledger.decisions(alert.fingerprint()).stream().anyMatch(d -> d.status()
                == dev.vigil.model.DeliveryStatus.SUPPRESSED && d.reason() != null
                && d.reason().startsWith("silenced by " + silence.id()) && d.at() != null
                && !d.at().isBefore(alert.startsAt()));
    }

    @Scheduled(fixedDelayString = "${vigil.notifier.silence-check-interval:2s}")
    void releaseEnded() {
        Instant now = Instant.now();
        for (Silence silence : silences.all()) {
            if (silence.endsAt().isAfter(now) || !released.add(silence.id())) {
                continue;
            }
            for (Alert alert : openAlerts.firing()) {
                if (ownership.owns(alert.fingerprint()) && Route.matches(silence.matchers(), alert)
                        && heldBack(silence, alert) && silences.silencing(alert).isEmpty()
                        && !alert.startsAt().isAfter(silence.endsAt())) {
                    try {
                        log.info("silence {} ended: notifying {} {}", silence.id(), alert.rule(), alert.job().asString());
                        pipeline.handle(alert, null);
                    } catch (Exception e) {
                        released.remove(silence.id()); // try again at the next check
                        log.warn("releasing silence {} failed: {}", silence.id(), e.toString());
                    }
                }
            }
        }
    }
}
