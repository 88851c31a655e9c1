package dev.vigil.notifier.routing;

import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a route sends: one named receiver with one or more ways to tell people.
 *
 * @param directoryEmail mail the recipients the directory names for the alert's account (the stoney rules)
 * @param emails         mail these fixed addresses
 */
public record Receiver(String name, @DefaultValue("false") boolean directoryEmail,
                       @DefaultValue List<String> emails) {
}
