package dev.vigil.notifier.routing;

import dev.vigil.model.Alert;
import dev.vigil.notifier.NotifierProperties;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Decides which receivers hear about an alert, walking the route tree as Alertmanager does: the first matching
 * child route takes the alert (and its own children are tried first); with {@code continue-matching} the walk
 * goes on to the next sibling; when no child matches, the parent's receiver takes it. Teams subscribe by adding a
 * route. Receivers named in routes must exist: checked at start-up.
 */
@Component
public class Router {

    private static final String RECEIVERS = "vigil.notifier.receivers";

    private final Route root;
    private final Map<String, Receiver> receivers = new LinkedHashMap<>();
    private final Map<String, Integer> configuredIndex = new HashMap<>();
    private final Environment environment;
    private final Map<String, Optional<?>> settings = new ConcurrentHashMap<>();

    /**
     * @param environment where the receivers' channel settings are bound from by name
     *                    ({@code vigil.notifier.receivers[n].<channel>}); null for none
     */
    public Router(NotifierProperties properties, Environment environment) {
        this.environment = environment;
        List<Receiver> configured = properties.receivers().isEmpty()
                ? List.of(Receiver.directoryEmail("directory-email")) : properties.receivers();
        configured.forEach(r -> receivers.put(r.name(), r));
        for (int i = 0; i < properties.receivers().size(); i++) {
            configuredIndex.put(properties.receivers().get(i).name(), i);
        }
        Route given = properties.route();
        this.root = given != null && given.receiver() != null ? given : given == null
                ? new Route(Map.of(), configured.get(0).name(), false, List.of(), null, null, null)
                : new Route(given.matchers(), configured.get(0).name(), false, given.routes(), given.groupBy(),
                        given.groupWait(), given.groupInterval());
        check(root);
    }

    /** A receiver that hears about an alert, and how the route that chose it groups alerts. */
    public record Routed(Receiver receiver, Route.Grouping grouping) {
    }

    public List<Routed> route(Alert alert) {
        Map<String, Routed> chosen = new LinkedHashMap<>();
        walk(root, Route.Grouping.NONE, alert, chosen);
        return List.copyOf(chosen.values());
    }

    /** The configured receiver of this name. */
    public Optional<Receiver> receiver(String name) {
        return Optional.ofNullable(receivers.get(name));
    }

    /** Every receiver, configured or (when none is) the default {@code directory-email}. */
    public List<Receiver> receivers() {
        return List.copyOf(receivers.values());
    }

    /**
     * The settings a channel keeps on a receiver, bound by the channel's name from
     * {@code vigil.notifier.receivers[n].<channel>} (YAML or the environment, relaxed as Spring Boot binds), e.g.
     * {@code receivers[1].slack.url}. Empty when the receiver has none or is not configured.
     *
     * @throws org.springframework.boot.context.properties.bind.BindException when the settings do not fit {@code type}
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> settings(String receiver, String channel, Class<T> type) {
        Integer index = configuredIndex.get(receiver);
        if (index == null || environment == null) {
            return Optional.empty();
        }
        return (Optional<T>) settings.computeIfAbsent(index + "/" + channel + "/" + type.getName(), key ->
                Binder.get(environment).bind(RECEIVERS + "[" + index + "]." + channel, Bindable.of(type)).map(Optional::of).orElse(Optional.empty()));
    }

    /**
     * The names of the settings a configured receiver has (its own, such as {@code directory-email}, and one per
     * channel, such as {@code slack}), in Spring Boot's uniform form (lower case, no dashes); empty for a receiver
     * not configured.
     */
    public Set<String> settingNames(String receiver) {
        Integer index = configuredIndex.get(receiver);
        Set<String> names = new TreeSet<>();
        if (index == null || environment == null) {
            return names;
        }
        ConfigurationPropertyName prefix = ConfigurationPropertyName.of(RECEIVERS + "[" + index + "]");
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(prefix::isAncestorOf).forEach(name ->
                        names.add(name.getElement(prefix.getNumberOfElements(), ConfigurationPropertyName.Form.UNIFORM)));
            }
        }
        return names;
    }

    /** @return whether this route (or one below) took the alert */
    private boolean walk(Route route, Route.Grouping inherited, Alert alert, Map<String, Routed> chosen) {
        if (!route.matches(alert)) {
            return false;
        }
        Route.Grouping grouping = route.grouping(inherited);
        boolean child = false;
        for (Route sub : route.routes()) {
            if (walk(sub, grouping, alert, chosen)) {
                child = true;
                if (!sub.continueMatching()) {
                    break;
                }
            }
        }
        if (!child) {
            chosen.putIfAbsent(route.receiver(), new Routed(receivers.get(route.receiver()), grouping));
        }
        return true;
    }

    private void check(Route route) {
        if (route.receiver() != null && !receivers.containsKey(route.receiver())) {
            throw new IllegalStateException("route names the unknown receiver '" + route.receiver() + "'; known: "
                    + receivers.keySet());
        }
        String invalid = Route.invalid(route.matchers());
        if (invalid != null) {
            throw new IllegalStateException("a route's matchers " + route.matchers() + " cannot be used: " + invalid);
        }
        route.routes().forEach(this::check);
    }
}
