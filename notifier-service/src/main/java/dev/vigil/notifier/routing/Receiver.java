package dev.vigil.notifier.routing;

import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A named receiver: one or more ways to tell people about the alerts routed to it
 * ({@code vigil.notifier.receivers[n]}).
 *
 * <p>Mail is built in: the directory's recipients and fixed addresses. Every other channel keeps its settings under
 * its own name, e.g. {@code receivers[n].slack.url}; the channel binds them itself through
 * {@link Router#settings(String, String, Class)}, so adding a channel never touches this record.
 *
 * @param directoryEmail mail the recipients the directory names for the alert's account (the stoney rules)
 * @param emails         mail these fixed addresses
 * @param sendResolved   whether a resolved notice is sent too (Alertmanager's {@code send_resolved})
 */
public record Receiver(String name, @DefaultValue("false") boolean directoryEmail, @DefaultValue List<String> emails,
                       @DefaultValue("true") boolean sendResolved) {

    public Receiver {
        emails = emails == null ? List.of() : List.copyOf(emails);
    }

    public static Receiver directoryEmail(String name) {
        return new Receiver(name, true, List.of(), true);
    }

    @Override
    public String toString() {
        return "Receiver[" + name + "]";
    }
}
