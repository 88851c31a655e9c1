package dev.vigil.notifier.routing;

import dev.vigil.model.Alert;
import dev.vigil.notifier.NotifierProperties;
import java.util.List;
import org.springframework.stereotype.Component;

/** Decides which receivers hear about an alert. */
@Component
public class Router {

    private final List<Receiver> receivers;

    public Router(NotifierProperties properties) {
        this.receivers = properties.receivers().isEmpty()
                ? List.of(new Receiver("directory-email", true, List.of()))
                : properties.receivers();
    }

    public List<Receiver> route(Alert alert) {
        return receivers;
    }
}
