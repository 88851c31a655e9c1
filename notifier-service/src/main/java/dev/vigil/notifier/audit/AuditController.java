package dev.vigil.notifier.audit;

import dev.vigil.security.ApiCaller;
import org.springframework.security.core.Authentication;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.notifier.delivery.DeliveryLedger;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * "What happened to this alert's notifications?": every decision on {@code backup.deliveries} for one alert
 * fingerprint — sent, retrying, failed and why, suppressed by silence, dedup or lack of recipients — oldest first;
 * only those of the caller's tenant (an operator sees all).
 */
@RestController
class AuditController {

    private final DeliveryLedger ledger;

    AuditController(DeliveryLedger ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/api/v1/alerts/{fingerprint}/deliveries")
    List<DeliveryRecord> deliveries(@PathVariable String fingerprint, Authentication caller) {
        return ledger.decisions(fingerprint).stream()
                .filter(record -> record.job() == null ? ApiCaller.isOperator(caller)
                        : ApiCaller.mayAct(caller, record.job().tenant())).toList();
    }
}
