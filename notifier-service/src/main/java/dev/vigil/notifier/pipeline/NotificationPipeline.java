package dev.vigil.notifier.pipeline;

import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.Silence;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.Topics;
import dev.vigil.notifier.delivery.DeliveryLog;
import dev.vigil.notifier.delivery.DeliveryRequest;
import dev.vigil.notifier.recipients.RecipientResolver;
import dev.vigil.notifier.recipients.Recipients;
import dev.vigil.notifier.routing.Receiver;
import dev.vigil.notifier.routing.Router;
import dev.vigil.notifier.silence.Silences;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * What happens to an alert, as a list of stages:
 * <ol>
 *   <li>route: which receivers hear about it;</li>
 *   <li>silence: a FIRING alert an active silence or maintenance window selects is recorded as suppressed and
 *       not sent (a RESOLVED notice always goes out);</li>
 *   <li>resolve recipients: the directory's for the account, or a receiver's fixed targets;</li>
 *   <li>one delivery request per channel and target on {@code backup.notifications}, so a slow channel never
 *       delays another; the delivery workers take it from there.</li>
 * </ol>
 * A request id is deterministic, so handling the same alert twice (after a crash) asks for the same deliveries,
 * and the delivery ledger sends each only once.
 */
@Component
public class NotificationPipeline {

    private final Router router;
    private final RecipientResolver recipients;
    private final KafkaTemplate<String, Object> kafka;
    private final DeliveryLog deliveryLog;
    private final Silences silences;

    public NotificationPipeline(Router router, RecipientResolver recipients, KafkaTemplate<String, Object> kafka,
                                DeliveryLog deliveryLog, Silences silences) {
        this.silences = silences;
        this.router = router;
        this.recipients = recipients;
        this.kafka = kafka;
        this.deliveryLog = deliveryLog;
    }

    public void handle(Alert alert, String traceId) throws Exception {
        handle(alert, traceId, 0);
    }

    /** @param reminder 0 for a transition, n for the n-th reminder of an alert that is still firing */
    public void handle(Alert alert, String traceId, int reminder) throws Exception {
        List<Receiver> receivers = router.route(alert);
        Optional<Silence> silence = alert.status() == AlertStatus.FIRING ? silences.silencing(alert) : Optional.empty();
        if (silence.isPresent()) {
            for (Receiver receiver : receivers) {
                DeliveryRequest held = new DeliveryRequest(DeliveryRequest.idFor(alert, receiver.name(), "silence",
                        silence.get().id(), reminder), alert, receiver.name(), "*", "", null, List.of(), reminder);
                deliveryLog.record(held, List.of(), DeliveryStatus.SUPPRESSED, "silenced by " + silence.get().id()
                        + " (" + silence.get().author() + ")", 0, traceId);
            }
            return;
        }
        List<DeliveryRequest> requests = new ArrayList<>();
        for (Receiver receiver : receivers) {
            requests.addAll(requestsFor(alert, receiver, traceId, reminder));
        }
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (DeliveryRequest request : requests) {
            sends.add(kafka.send(CloudEventRecords.record(Topics.NOTIFICATIONS, request.deliveryId(), request,
                    request.deliveryId(), "dev.vigil.notification.requested", "notifier",
                    java.time.Instant.now(), traceId)));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private List<DeliveryRequest> requestsFor(Alert alert, Receiver receiver, String traceId, int reminder) {
        List<DeliveryRequest> requests = new ArrayList<>();
        if (receiver.directoryEmail()) {
            Recipients found = recipients.resolve(alert.job().account(), alert.check());
            for (String address : found.addresses()) {
                requests.add(new DeliveryRequest(DeliveryRequest.idFor(alert, receiver.name(), "email", address, reminder),
                        alert, receiver.name(), "email", address, found.language().toLanguageTag(), found.trail(), reminder));
            }
            if (found.addresses().isEmpty()) {
                DeliveryRequest nobody = new DeliveryRequest(DeliveryRequest.idFor(alert, receiver.name(), "email", ""),
                        alert, receiver.name(), "email", "", found.language().toLanguageTag(), found.trail());
                deliveryLog.record(nobody, List.of(), DeliveryStatus.SUPPRESSED, "no-recipient", 0, traceId);
            }
        }
        for (String channel : List.of("slack", "ifttt", "webhook")) {
            boolean configured = switch (channel) {
                case "slack" -> receiver.slack() != null;
                case "ifttt" -> receiver.ifttt() != null;
                default -> receiver.webhook() != null;
            };
            if (configured) {
                requests.add(new DeliveryRequest(DeliveryRequest.idFor(alert, receiver.name(), channel, receiver.name(), reminder),
                        alert, receiver.name(), channel, receiver.name(), null, List.of("receiver " + receiver.name()), reminder));
            }
        }
        for (String address : receiver.emails()) {
            requests.add(new DeliveryRequest(DeliveryRequest.idFor(alert, receiver.name(), "email", address, reminder), alert,
                    receiver.name(), "email", address, null, List.of("receiver " + receiver.name()), reminder));
        }
        return requests;
    }
}
