package dev.vigil.notifier.directory;

import dev.vigil.notifier.NotifierProperties;
import dev.vigil.notifier.pipeline.AlertOwnership;
import java.time.Duration;
import java.time.Instant;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link AccountSync} every {@code vigil.notifier.directory.sync-interval} (10 minutes) on the one instance
 * that {@link AlertOwnership#leads() leads}: with any number of replicas, one reads the directory and writes
 * {@code backup.accounts}. Leadership is looked at every 5 seconds: an instance that becomes the leader (at start,
 * or when the leader went away) syncs at once, then at the interval.
 */
@Component
class AccountSyncSchedule {

    private final AccountSync sync;
    private final AlertOwnership ownership;
    private final Duration interval;
    private Instant next = Instant.MIN;

    AccountSyncSchedule(AccountSync sync, AlertOwnership ownership, NotifierProperties properties) {
        this.sync = sync;
        this.ownership = ownership;
        this.interval = properties.directory().syncInterval();
    }

    @Scheduled(fixedDelay = 5_000, initialDelayString = "${vigil.notifier.directory.sync-initial-delay:5s}")
    synchronized void run() {
        if (!ownership.leads()) {
            next = Instant.MIN; // should this instance lead later, it syncs at once
            return;
        }
        Instant now = Instant.now();
        if (!now.isBefore(next)) {
            sync.sync();
            next = now.plus(interval);
        }
    }
}
