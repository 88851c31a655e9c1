package dev.vigil.notifier.channel;

import dev.vigil.notifier.delivery.DeliveryRequest;
import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Router;
import java.util.function.Function;

/**
 * A way to tell people: email, Slack, IFTTT, a webhook. A channel is a bean: adding one is its package (this interface
 * and its rendering) plus its settings on {@link Receiver}; the pipeline finds it through {@link Channels}.
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

    /** The part of the request's receiver a channel needs; a permanent failure when the receiver has none. */
    static <T> T settings(Router router, DeliveryRequest request, Function<Receiver, T> part, String what)
            throws DeliveryException {
        T settings = router.receiver(request.receiver()).map(part).orElse(null);
        if (settings == null) {
            throw DeliveryException.permanent("no-target", "receiver " + request.receiver() + " has no " + what, null);
        }
        return settings;
    }
}
