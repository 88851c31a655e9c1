package dev.vigil.notifier.channel;

import dev.vigil.notifier.delivery.DeliveryRequest;

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
}
