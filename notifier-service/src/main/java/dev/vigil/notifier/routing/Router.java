package dev.vigil.notifier.routing;

import dev.vigil.model.Alert;
import dev.vigil.notifier.NotifierProperties;
import java.util.ArrayList;
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
        this.root = properties.route() != null && properties.route().receiver() != null ? properties.route()
                : new Route(Map.of(), configured.get(0).name(), false, properties.route() == null ? List.of() : properties.route().routes());
        check(root);
    }

    public List<Receiver> route(Alert alert) {
        List<String> names = new ArrayList<>();
        walk(root, alert, names);
        return names.stream().distinct().map(receivers::get).toList();
    }

    /** The configured receiver of this name, for the channels that need its target settings. */
    public java.util.Optional<Receiver> receiver(String name) {
        return java.util.Optional.ofNullable(receivers.get(name));
    }

    /** @return whether this route (or one below) took the alert */
    private boolean walk(Route route, Alert alert, List<String> names) {
        if (!route.matches(alert)) {
            return false;
        }
        boolean child = false;
        for (Route sub : route.routes()) {
            if (walk(sub, alert, names)) {
                child = true;
                if (!sub.continueMatching()) {
                    break;
                }
            }
        }
        if (!child) {
            names.add(route.receiver());
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
