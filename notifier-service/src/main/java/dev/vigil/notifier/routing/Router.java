package dev.vigil.notifier.routing;

import dev.vigil.model.Alert;
import dev.vigil.notifier.NotifierProperties;
import java.util.LinkedHashMap;
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

    private final Route root;
    private final Map<String, Receiver> receivers = new LinkedHashMap<>();

    public Router(NotifierProperties properties) {
        List<Receiver> configured = properties.receivers().isEmpty()
                ? List.of(Receiver.directoryEmail("directory-email")) : properties.receivers();
        configured.forEach(r -> receivers.put(r.name(), r));
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

    /** The configured receiver of this name, for the channels that need its target settings. */
    public java.util.Optional<Receiver> receiver(String name) {
        return java.util.Optional.ofNullable(receivers.get(name));
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
        route.routes().forEach(this::check);
    }
}
