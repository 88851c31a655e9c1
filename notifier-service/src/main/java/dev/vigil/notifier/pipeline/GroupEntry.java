package dev.vigil.notifier.pipeline;

import dev.vigil.model.Alert;
import dev.vigil.notifier.routing.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A record of {@code backup.notification-groups}, keyed by group: an alert transition joining a group (a member), or
 * a batch of members that was handed to the delivery workers (a flush). Reading the topic from the start rebuilds
 * every group's pending alerts and windows exactly, so a restart neither loses a grouped alert nor sends a batch
 * with other delivery ids.
 *
 * @param memberId      the alert transition's id, the same when the alert is redelivered
 * @param groupWait          the route's group-wait when the member joined
 * @param groupInterval      the route's group-interval when the member joined
 * @param flushedWindow the end of the window whose members were sent (a flush)
 * @param flushed       the members that were sent (a flush)
 * @param channels      the channels the group's messages go to; empty for all of the receiver's
 */
public record GroupEntry(String group, String receiver, String memberId, Alert alert, String traceId,
                         Duration groupWait, Duration groupInterval, Instant flushedWindow, List<String> flushed,
                         List<String> channels) {

    public GroupEntry {
        flushed = flushed == null ? List.of() : List.copyOf(flushed);
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    static GroupEntry member(String group, String receiver, String memberId, Alert alert, String traceId,
                             Route.Grouping grouping) {
        return member(group, receiver, memberId, alert, traceId, grouping.groupWait(), grouping.groupInterval(),
                List.of());
    }

    static GroupEntry member(String group, String receiver, String memberId, Alert alert, String traceId,
                             Duration groupWait, Duration groupInterval, List<String> channels) {
        return new GroupEntry(group, receiver, memberId, alert, traceId, groupWait, groupInterval, null, null, channels);
    }

    static GroupEntry flush(String group, String receiver, Instant window, List<String> members) {
        return new GroupEntry(group, receiver, null, null, null, null, null, window, members, null);
    }

    boolean isMember() {
        return alert != null;
    }
}
