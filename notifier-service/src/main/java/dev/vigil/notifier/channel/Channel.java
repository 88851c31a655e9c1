package dev.vigil.notifier.channel;

import dev.vigil.notifier.delivery.DeliveryRequest;
import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Router;

/**
 * A way to tell people: email, Slack, IFTTT, a webhook. A channel is a bean: adding one is its package (this interface,
 * its rendering and a settings record) plus configuration under {@code vigil.notifier.receivers[n].<name>}, bound by
 * {@link Router#settings(String, String, Class)}; the pipeline finds it through {@link Channels}.
 */
public interface Channel {

    /** The name routes use, e.g. {@code email}. */
    String name();

    /**
     * Sends one notification.
     *
     * @throws DeliveryException saying whether trying again may help
     */
    void send(DeliveryRequest request) throws DeliveryException;

    /**
     * True when {@code receiver} has a target of this channel of its own (a Slack webhook, an IFTTT key, a webhook
     * URL): the pipeline then sends it one message per receiver. Mail answers false: its targets are addresses, found
     * in the directory or listed in the receiver.
     */
    default boolean configuredFor(Receiver receiver) {
        return false;
    }

    /** True for a chat channel, whose messages about one receiver are gathered into digests by default. */
    default boolean chat() {
        return false;
    }

    /**
     * The settings of this channel on the request's receiver ({@code vigil.notifier.receivers[n].<channel>}, bound
     * to {@code type}); a permanent failure ({@code no-target}) when the receiver has none.
     */
    static <T> T settings(Router router, DeliveryRequest request, String channel, Class<T> type)
            throws DeliveryException {
        return router.settings(request.receiver(), channel, type).orElseThrow(() -> DeliveryException.permanent(
                "no-target", "receiver " + request.receiver() + " has no " + channel + " settings", null));
    }
}
