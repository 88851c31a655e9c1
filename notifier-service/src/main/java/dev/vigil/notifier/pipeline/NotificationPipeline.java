package dev.vigil.notifier.pipeline;

import dev.vigil.kafka.InternalTopics;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
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
 *   <li>group: on a route with a {@code group-wait}, the alert joins its group on
 *       {@code backup.notification-groups} and {@link AlertGroups} asks for one message about the group's alerts
 *       when its window ends; else it goes on at once;</li>
 *   <li>resolve recipients: the directory's for the account, or a receiver's fixed targets;</li>
 *   <li>one delivery request per channel and target on {@code backup.notifications}, so a slow channel never
 *       delays another; the delivery workers take it from there.</li>
 * </ol>
 * A request id is deterministic, so handling the same alert twice (after a crash) asks for the same deliveries,
 * and the delivery ledger sends each only once. While the directory cannot be reached, the receivers that need it
 * wait on {@code backup.notifications.directory-wait} (tried again until it answers, {@code DirectoryWaitListener})
 * and the others, and the alerts behind, are told at once.
 */
@Component
public class NotificationPipeline {

    private final Router router;
    private final RecipientResolver recipients;
    private final KafkaTemplate<String, Object> kafka;
    private final DeliveryLog deliveryLog;
    private final Silences silences;

    private final dev.vigil.notifier.inhibit.Inhibitor inhibitor;
    private final dev.vigil.notifier.NotifierProperties.ChatGrouping chatGrouping;
    private final dev.vigil.notifier.channel.Channels channels;
    private final dev.vigil.notifier.delivery.DeliveryLedger ledger;

    public NotificationPipeline(Router router, RecipientResolver recipients, KafkaTemplate<String, Object> kafka,
                                DeliveryLog deliveryLog, Silences silences,
                                dev.vigil.notifier.inhibit.Inhibitor inhibitor,
                                dev.vigil.notifier.NotifierProperties properties,
                                dev.vigil.notifier.channel.Channels channels,
                                dev.vigil.notifier.delivery.DeliveryLedger ledger) {
        this.channels = channels;
        this.ledger = ledger;
        this.inhibitor = inhibitor;
        this.chatGrouping = properties.chatGrouping();
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
        Optional<Silence> silence = alert.status() == AlertStatus.FIRING ? silences.silencing(alert) : Optional.empty();
        Optional<Alert> inhibitor = silence.isPresent() ? Optional.empty() : this.inhibitor.inhibitor(alert);
        List<DeliveryRequest> requests = new ArrayList<>();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (Router.Routed routed : router.route(alert)) {
            Receiver receiver = routed.receiver();
            try {
                route(alert, routed, silence, inhibitor, reminder, traceId, requests, writes);
            } catch (dev.vigil.notifier.recipients.DirectoryUnavailableException e) {
                // this receiver's recipients wait for the directory on a topic of their own; the other receivers,
                // and the alerts behind this one, are told now
                DirectoryWait wait = new DirectoryWait(alert, receiver.name(), reminder);
                writes.add(kafka.send(CloudEventRecords.record(InternalTopics.DIRECTORY_WAIT, alert.fingerprint(), wait,
                        wait.id(), "dev.vigil.notification.directory-wait", "notifier", Instant.now(), traceId)));
            }
        }
        // a repeated handling of this alert makes the same delivery ids: what already went out is not asked for again
        requests.removeIf(request -> ledger.wasSent(request.deliveryId()));
        send(requests, writes, traceId);
    }

    /**
     * A receiver's part of an alert that waited for the directory: handled as {@link #handle} would, for that receiver
     * alone (a silence or inhibition is judged now).
     *
     * @throws dev.vigil.notifier.recipients.DirectoryUnavailableException while the directory is still away; the
     *         caller tries again, as long as the outage lasts
     */
    public void handle(DirectoryWait wait, String traceId) throws Exception {
        Alert alert = wait.alert();
        Optional<Silence> silence = alert.status() == AlertStatus.FIRING ? silences.silencing(alert) : Optional.empty();
        Optional<Alert> inhibitor = silence.isPresent() ? Optional.empty() : this.inhibitor.inhibitor(alert);
        List<DeliveryRequest> requests = new ArrayList<>();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (Router.Routed routed : router.route(alert)) {
            if (routed.receiver().name().equals(wait.receiver())) {
                route(alert, routed, silence, inhibitor, wait.reminder(), traceId, requests, writes);
            }
        }
        requests.removeIf(request -> ledger.wasSent(request.deliveryId()));
        send(requests, writes, traceId);
    }

    /**
     * Value of {@code backup.notifications.directory-wait}: one receiver's part of one alert transition, waiting
     * for the directory to name its recipients.
     */
    public record DirectoryWait(Alert alert, String receiver, int reminder) {

        /** Deterministic for the transition, receiver and reminder: a repeat is the same wait. */
        public String id() {
            return DeliveryRequest.idFor(alert, receiver, "directory-wait", "", reminder);
        }
    }

    /** What one receiver gets of one alert: held (silence, inhibition), gathered into a group, or requests now. */
    private void route(Alert alert, Router.Routed routed, Optional<Silence> silence, Optional<Alert> inhibitor,
                       int reminder, String traceId, List<DeliveryRequest> requests, List<CompletableFuture<?>> writes) {
        Receiver receiver = routed.receiver();
        {
            if (silence.isPresent()) {
                DeliveryRequest held = new DeliveryRequest(DeliveryRequest.idFor(alert, receiver.name(), "silence",
                        silence.get().id(), reminder), alert, receiver.name(), "*", "", null, List.of(), reminder);
                deliveryLog.record(held, List.of(), DeliveryStatus.SUPPRESSED, "silenced by " + silence.get().id()
                        + " (" + silence.get().author() + ")", 0, traceId);
            } else if (inhibitor.isPresent()) {
                DeliveryRequest held = new DeliveryRequest(DeliveryRequest.idFor(alert, receiver.name(), "inhibit",
                        inhibitor.get().fingerprint(), reminder), alert, receiver.name(), "*", "", null, List.of(), reminder);
                deliveryLog.record(held, List.of(), DeliveryStatus.SUPPRESSED, "inhibited by "
                        + inhibitor.get().rule() + " " + inhibitor.get().job().asString(), 0, traceId);
            } else if (alert.status() != AlertStatus.FIRING && !receiver.sendResolved()) {
                DeliveryRequest skipped = new DeliveryRequest(DeliveryRequest.idFor(alert, receiver.name(), "*", ""),
                        alert, receiver.name(), "*", "", null, List.of());
                deliveryLog.record(skipped, List.of(), DeliveryStatus.SUPPRESSED, "send-resolved-off", 0, traceId);
            } else if (reminder == 0 && routed.grouping().enabled()) {
                GroupEntry member = GroupEntry.member(routed.grouping().key(receiver.name(), alert), receiver.name(),
                        DeliveryRequest.idFor(alert, receiver.name(), "group", ""), alert, traceId, routed.grouping());
                writes.add(kafka.send(CloudEventRecords.record(InternalTopics.NOTIFICATION_GROUPS, member.group(), member,
                        member.memberId(), "dev.vigil.notification.grouped", "notifier", Instant.now(), traceId)));
            } else {
                // chat channels gather what reaches the receiver together into one digest (chatGrouping); mail and
                // webhooks go at once
                boolean digest = reminder == 0 && chatGrouping.enabled() && channels.all().stream()
                        .anyMatch(c -> c.chat() && c.configuredFor(receiver));
                if (digest) {
                    GroupEntry member = GroupEntry.member(receiver.name() + "{channels=\"chat\"}", receiver.name(),
                            DeliveryRequest.idFor(alert, receiver.name(), "chat-group", ""), alert, traceId,
                            chatGrouping.groupWait(), chatGrouping.groupInterval(), chatChannels());
                    writes.add(kafka.send(CloudEventRecords.record(InternalTopics.NOTIFICATION_GROUPS, member.group(),
                            member, member.memberId(), "dev.vigil.notification.grouped", "notifier", Instant.now(),
                            traceId)));
                }
                requests.addAll(requestsFor(List.of(alert), receiver, reminder, null,
                        (channel, target) -> DeliveryRequest.idFor(alert, receiver.name(), channel, target, reminder),
                        traceId, channel -> !digest || !chatChannels().contains(channel)));
            }
        }
    }

    /**
     * One message per channel and target about the alerts of a group whose collection window has ended.
     *
     * @param memberIds the alert transitions in the batch, which make its delivery ids
     */
    public void deliverGroup(String receiverName, String group, Instant windowEnd, List<Alert> alerts,
                             List<String> memberIds, String traceId, List<String> channels) throws Exception {
        Optional<Receiver> receiver = router.receiver(receiverName);
        if (receiver.isEmpty() || alerts.isEmpty()) {
            return; // the receiver was removed from the configuration since the alerts were grouped
        }
        // a lone alert is told as itself, a batch as a digest
        send(requestsFor(alerts, receiver.get(), 0, alerts.size() == 1 ? null : group,
                (channel, target) -> DeliveryRequest.groupIdFor(group, windowEnd, memberIds, channel, target), traceId,
                channel -> channels.isEmpty() || channels.contains(channel)), new ArrayList<>(), traceId);
    }

    private void send(List<DeliveryRequest> requests, List<CompletableFuture<?>> writes, String traceId)
            throws Exception {
        for (DeliveryRequest request : requests) {
            // keyed by channel and target: every message to one Slack webhook or mailbox is on one partition, so one
            // delivery thread of one instance sends them in order, and its pace and a Retry-After hold for all
            writes.add(kafka.send(CloudEventRecords.record(InternalTopics.NOTIFICATIONS, request.targetKey(), request,
                    request.deliveryId(), "dev.vigil.notification.requested", "notifier", Instant.now(), traceId)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    /** The names of the chat channels, whose messages are gathered into digests by default. */
    private List<String> chatChannels() {
        return channels.all().stream().filter(dev.vigil.notifier.channel.Channel::chat)
                .map(dev.vigil.notifier.channel.Channel::name).toList();
    }

    /**
     * The delivery requests of one receiver for one message about {@code alerts}: one per directory recipient
     * (each with the alerts of the accounts that name them), per fixed address, and per configured webhook.
     */
    private List<DeliveryRequest> requestsFor(List<Alert> alerts, Receiver receiver, int reminder, String group,
                                              BinaryOperator<String> ids, String traceId,
                                              java.util.function.Predicate<String> channels) {
        List<DeliveryRequest> requests = new ArrayList<>();
        Alert first = alerts.get(0);
        if (receiver.directoryEmail() && channels.test("email")) {
            Map<String, List<Alert>> byAddress = new LinkedHashMap<>();
            Map<String, Recipients> foundFor = new LinkedHashMap<>();
            for (Alert alert : alerts) {
                Recipients found = recipients.resolve(alert.job().account(), alert.check());
                for (String address : found.addresses()) {
                    byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(alert);
                    foundFor.putIfAbsent(address, found);
                }
                if (found.addresses().isEmpty()) {
                    DeliveryRequest nobody = new DeliveryRequest(DeliveryRequest.idFor(alert, receiver.name(), "email", ""),
                            alert, receiver.name(), "email", "", found.language().toLanguageTag(), found.trail());
                    deliveryLog.record(nobody, List.of(), DeliveryStatus.SUPPRESSED, "no-recipient", 0, traceId);
                }
            }
            byAddress.forEach((address, theirs) -> requests.add(new DeliveryRequest(ids.apply("email", address),
                    theirs.get(0), receiver.name(), "email", address, foundFor.get(address).language().toLanguageTag(),
                    foundFor.get(address).trail(), reminder, theirs, group)));
        }
        List<String> trail = List.of("receiver " + receiver.name());
        for (dev.vigil.notifier.channel.Channel channel : this.channels.all()) {
            if (channel.configuredFor(receiver) && channels.test(channel.name())) {
                requests.add(new DeliveryRequest(ids.apply(channel.name(), receiver.name()), first, receiver.name(),
                        channel.name(), receiver.name(), null, trail, reminder, alerts, group));
            }
        }
        for (String address : channels.test("email") ? receiver.emails() : List.<String>of()) {
            requests.add(new DeliveryRequest(ids.apply("email", address), first, receiver.name(), "email", address,
                    null, trail, reminder, alerts, group));
        }
        return requests;
    }
}
