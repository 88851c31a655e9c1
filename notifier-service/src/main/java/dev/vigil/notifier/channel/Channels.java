package dev.vigil.notifier.channel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Every channel bean by name; two channels with one name stop the start-up. */
@Component
public class Channels {

    private final Map<String, Channel> byName;

    public Channels(List<Channel> channels) {
        this.byName = channels.stream().collect(Collectors.toUnmodifiableMap(Channel::name, Function.identity()));
    }

    public Optional<Channel> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every channel, by name. */
    public List<Channel> all() {
        return byName.values().stream().sorted(java.util.Comparator.comparing(Channel::name)).toList();
    }
}
