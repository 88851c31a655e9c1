package dev.vigil.notifier.channel;

import dev.vigil.notifier.delivery.DeliveryRequest;
import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Router;
import java.util.function.Function;

/** A way to tell people: email, Slack, IFTTT, a webhook. Adding a channel is adding one package. */
public interface Channel {

    /** The name routes use, e.g. {@code email}. */
    String name();

    /**
     * Sends one notification.
     *
     * @throws DeliveryException saying whether trying again may help
     */
    void send(DeliveryRequest request) throws DeliveryException;

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
