package dev.vigil.rules.rule;

import dev.vigil.model.AccountSettings;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Severity;
import dev.vigil.rules.job.JobState;
import dev.vigil.rules.job.Values;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Retrospect waits for media: a TimedOutMediaRequest, or a MediaRequest (repeated every 5 minutes while the
 * window is open) that has waited longer than a limit. A new request cycle that has not waited yet clears it.
 */
public class MediaRule implements EventRule {

    public static final String NAME = "media";
    private final int minutes;

    public MediaRule(int minutes) {
        this.minutes = minutes;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Condition> evaluate(BackupEvent event, JobState state, AccountSettings settings) {
        String set = event.job().job();
        return switch (event.type()) {
            case MEDIA_REQUEST_TIMED_OUT -> Optional.of(Condition.holds(Severity.WARNING, "Retrospect timed out waiting "
                    + "for media of " + set + " (" + event.attributes().getOrDefault("member", "?") + ")", event.attributes()));
            case MEDIA_REQUEST -> mediaRequest(event, set);
            default -> Optional.empty();
        };
    }

    /** A request that waited an unreadable time says nothing (counted), rather than clear a real wait. */
    private Optional<Condition> mediaRequest(BackupEvent event, String set) {
        OptionalInt minutesWaited = Values.count(event, "waitedMinutes", Integer.MAX_VALUE);
        if (minutesWaited.isEmpty() && event.attributes().containsKey("waitedMinutes")) {
            return Optional.empty();
        }
        int waited = minutesWaited.orElse(0);
        return waited >= minutes
                    ? Optional.of(Condition.holds(Severity.WARNING, "Retrospect has been waiting " + waited
                    + " minutes for media of " + set + " (" + event.attributes().getOrDefault("member", "?") + ")",
                    event.attributes()))
                    : waited == 0 ? Optional.of(Condition.clear("Retrospect got the media of " + set)) : Optional.empty();
    }
}
