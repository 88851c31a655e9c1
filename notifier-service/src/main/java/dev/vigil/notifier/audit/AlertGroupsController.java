package dev.vigil.notifier.audit;

import dev.vigil.model.Alert;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.notifier.delivery.DeliveryLedger;
import dev.vigil.notifier.routing.Router;
import dev.vigil.notifier.silence.OpenAlerts;
import dev.vigil.notifier.silence.Silences;
import dev.vigil.security.ApiCaller;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The FIRING alerts as the notifier groups them, Alertmanager's {@code GET /api/v2/alerts/groups} for Vigil: one
 * entry per receiver and group key ({@link dev.vigil.notifier.routing.Route.Grouping#key}), each alert with the
 * silence holding it back (if any) and every delivery decision about it (who was told, how, when, or why not).
 * Only the caller's tenant's alerts (an operator sees all).
 */
@RestController
class AlertGroupsController {

    /** One alert of a group: the alert, the id of the active silence holding it back, and its audit. */
    record GroupedAlert(Alert alert, String silencedBy, List<DeliveryRecord> deliveries) {
    }

    /** One group: its receiver, its key (e.g. {@code owners{account="3723707",tenant="demo"}}), its alerts, oldest first. */
    record AlertGroup(String receiver, String group, List<GroupedAlert> alerts) {
    }

    private final OpenAlerts open;
    private final Router router;
    private final Silences silences;
    private final DeliveryLedger ledger;

    AlertGroupsController(OpenAlerts open, Router router, Silences silences, DeliveryLedger ledger) {
        this.open = open;
        this.router = router;
        this.silences = silences;
        this.ledger = ledger;
    }

    /**
     * Whether a decision was about this receiver's messages: its chat and webhook messages (their target is the
     * receiver's name), its fixed addresses, the directory's recipients when it mails them (an address no receiver
     * names as fixed), and decisions for all receivers (a silence, an inhibition: channel {@code *}).
     */
    private boolean about(DeliveryRecord decision, dev.vigil.notifier.routing.Receiver receiver) {
        if ("*".equals(decision.channel()) || receiver.name().equals(decision.target())) {
            return true;
        }
        if (!"email".equals(decision.channel())) {
            return false;
        }
        if (receiver.emails().contains(decision.target())) {
            return true;
        }
        return receiver.directoryEmail() && router.receivers().stream()
                .noneMatch(r -> r.emails().contains(decision.target()) || r.name().equals(decision.target()));
    }

    @GetMapping("/api/v1/alerts/groups")
    List<AlertGroup> groups(Authentication caller) {
        Map<String, List<GroupedAlert>> byGroup = new TreeMap<>();
        Map<String, String> receivers = new TreeMap<>();
        for (Alert alert : open.firing()) {
            if (!ApiCaller.mayAct(caller, alert.job().tenant())) {
                continue;
            }
            String silence = silences.silencing(alert).map(s -> s.id()).orElse(null);
            List<DeliveryRecord> decisions = ledger.decisions(alert.fingerprint());
            List<Router.Routed> routes = router.route(alert);
            for (Router.Routed routed : routes) {
                String key = routed.grouping().key(routed.receiver().name(), alert);
                receivers.put(key, routed.receiver().name());
                byGroup.computeIfAbsent(key, k -> new ArrayList<>()).add(new GroupedAlert(alert, silence,
                        decisions.stream().filter(d -> about(d, routed.receiver())).toList()));
            }
            if (routes.isEmpty()) {
                byGroup.computeIfAbsent("{}", k -> new ArrayList<>()).add(new GroupedAlert(alert, silence, decisions));
            }
        }
        List<AlertGroup> groups = new ArrayList<>();
        byGroup.forEach((key, alerts) -> {
            alerts.sort(Comparator.comparing((GroupedAlert a) -> a.alert().startsAt(),
                    Comparator.nullsLast(Comparator.naturalOrder())));
            groups.add(new AlertGroup(receivers.get(key), key, alerts));
        });
        return groups;
    }
}
