package dev.vigil.notifier.channel;

import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Router;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Every channel bean by name. Start-up stops on two channels with one name, on a receiver setting that names no
 * channel (a misspelt {@code slak:} would otherwise silence a receiver), and on channel settings that do not bind.
 */
@Component
public class Channels {

    /** A receiver's own settings, in Spring Boot's uniform form; every other key must name a channel. */
    private static final Set<String> RECEIVER_SETTINGS = Set.of("name", "directoryemail", "emails", "sendresolved");

    private final Map<String, Channel> byName;

    public Channels(List<Channel> channels, Router router) {
        this.byName = channels.stream().collect(Collectors.toUnmodifiableMap(Channel::name, Function.identity()));
        for (Receiver receiver : router.receivers()) {
            Set<String> unknown = new TreeSet<>(router.settingNames(receiver.name()));
            unknown.removeAll(RECEIVER_SETTINGS);
            unknown.removeAll(byName.keySet());
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("receiver '" + receiver.name() + "' has settings " + unknown
                        + " that name no channel; channels: " + new TreeSet<>(byName.keySet()));
            }
            channels.forEach(channel -> channel.configuredFor(receiver)); // binds now: a wrong setting stops start-up
        }
    }

    public Optional<Channel> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every channel, by name. */
    public List<Channel> all() {
        return byName.values().stream().sorted(java.util.Comparator.comparing(Channel::name)).toList();
    }
}
