package dev.vigil.gateway.ingest;

import dev.vigil.gateway.GatewayProperties;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The only writer of the gateway's topics. {@link #publish} returns only once Kafka acknowledged the event
 * ({@code acks=all}); the caller answers the hook after that, never before.
 */
@Component
public class EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    public static final String TRACE_ID_MDC = CloudEventRecords.TRACE_ID_MDC;

    private final KafkaTemplate<String, Object> kafka;
    private final Duration timeout;
    private final long timeoutNanos;
    private final Timer publishLatency;
    private final MeterRegistry meters;
    private final SecretMasker masker;
    /** How often sends past the publish timeout are given up. */
    static final Duration EXPIRY_CHECK = Duration.ofMillis(200);
    /** Sends waiting for their acknowledgement, each with the {@link System#nanoTime} it is given up at. */
    private final Map<CompletableFuture<?>, Long> waiting = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService expiry =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "publish-timeout");
                thread.setDaemon(true);
                return thread;
            });

    public EventPublisher(KafkaTemplate<String, Object> kafka, GatewayProperties properties, MeterRegistry meters,
                          dev.vigil.gateway.registration.Registrations registrations) {
        this.kafka = kafka;
        this.meters = meters;
        this.masker = new SecretMasker(registrations.seedTokens(), registrations::isToken);
        this.timeout = properties.publishTimeout();
        this.timeoutNanos = timeout.toNanos();
        this.publishLatency = Timer.builder("vigil.gateway.publish")
                .description("Time from handing an event to Kafka until it was acknowledged")
                .publishPercentileHistogram()
                .register(meters);
        expiry.scheduleWithFixedDelay(this::expire, EXPIRY_CHECK.toMillis(), EXPIRY_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Writes the event to {@code backup.events}, waits for the acknowledgement and counts the hook as received.
     *
     * @throws IngestUnavailableException when Kafka did not acknowledge within the publish timeout
     */
    public void publish(BackupEvent event) {
        publish(event, Map.of());
    }

    /**
     * As {@link #publish(BackupEvent)}, with attributes the registration adds (its schedule); the source's own
     * attributes win.
     */
    public void publish(BackupEvent event, Map<String, String> registrationAttributes) {
        Map<String, String> attributes = new java.util.LinkedHashMap<>(registrationAttributes);
        attributes.putAll(event.attributes());
        attributes.replaceAll(masker::maskAttribute);
        // secrets never leave the gateway: every text of the event is masked before it is published
        // the job name too: it is the record key, a label of every alert and a line of every log (a Retrospect
        // argument or an XSIBackup --backup-vms can hold anything), fit to be a name: no control or invisible
        // characters, at most 512 characters (a longer one keeps its head and a digest of the whole)
        // Names and ids are masked as names: one whose secret was masked keeps a digest of what was sent, so two jobs
        // (events, runs) that differ only there stay two, and one job's success never resolves another's failure
        dev.vigil.model.JobKey job = new dev.vigil.model.JobKey(event.job().tenant(), event.job().account(),
                masker.maskName(event.job().job())).bounded();
        event = new BackupEvent(masker.maskName(event.id()), event.source(), event.type(), event.outcome(),
                event.occurredAt(), event.receivedAt(), job, masker.maskName(event.runId()), event.measures(),
                event.error() == null ? null
                : new dev.vigil.model.ErrorInfo(masker.mask(event.error().code()), masker.mask(event.error().message())),
                attributes, masker.maskRaw(event.raw()));
        long start = System.nanoTime();
        try {
            acknowledged(kafka.send(CloudEventRecords.record(Topics.EVENTS, event.job().asString(), event, event.id(),
                    event.cloudEventType(), "gateway", event.receivedAt(), MDC.get(TRACE_ID_MDC))));
            publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            meters.counter("vigil.hooks.received", "source", event.source().name().toLowerCase(java.util.Locale.ROOT),
                    "type", event.type().name()).increment();
            log.info("accepted {} {} {} for {} as {}", event.source(), event.type(), event.outcome(),
                    dev.vigil.model.Text.line(event.job().asString(), 300), dev.vigil.model.Text.line(event.id(), 300));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestUnavailableException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException | RuntimeException e) {
            throw permanent(e, event).orElseGet(() ->
                    new IngestUnavailableException("Kafka did not acknowledge the event within " + timeout, e));
        }
    }

    /**
     * A Kafka error that sending again cannot cure, as the refusal it is: an event larger than Kafka takes is the
     * caller's {@code 413} (kept on {@code backup.rejected}); a write Kafka does not authorise, or a record it cannot
     * serialise, is Vigil's own fault, answered {@code 500} ({@link IngestMisconfiguredException}), never the
     * {@code 503} that tells a client to come back.
     */
    private static java.util.Optional<RuntimeException> permanent(Exception failure, BackupEvent event) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
                return java.util.Optional.of(new HookRejectedException(org.springframework.http.HttpStatus.PAYLOAD_TOO_LARGE,
                        event.source().name().toLowerCase(java.util.Locale.ROOT), "The event is larger than Kafka "
                        + "accepts (" + cause.getMessage() + "); send a shorter log or error text.", event.raw()));
            }
            if (cause instanceof org.apache.kafka.common.errors.AuthorizationException
                    || cause instanceof org.apache.kafka.common.errors.SerializationException
                    || cause instanceof org.apache.kafka.common.errors.InvalidTopicException) {
                return java.util.Optional.of(new IngestMisconfiguredException(cause.getClass().getSimpleName()
                        + ": " + cause.getMessage(), failure));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Waits for Kafka's acknowledgement of a send, at most the publish timeout (and up to {@link #EXPIRY_CHECK} more),
     * counted from when the producer took the record ({@code send} itself waits at most {@code max.block.ms} for the
     * partitions). A send given up may still reach Kafka later: the hook is answered 503 and sent again by its client,
     * and the rules take the copy for the retry it is.
     * <p>The wait is an untimed one, and one thread stops waiting, every {@link #EXPIRY_CHECK}, for the sends past
     * their timeout:
     * a virtual thread's timed wait, and {@link CompletableFuture#orTimeout} alike, schedule and cancel a timer with
     * the JDK's delay scheduler (Java 25) and wake its thread for each: at 4,000 hooks/s the gateway took 0.68 to 0.72
     * of a core with them and takes 0.53 without (README, "Load"). The producer reports every send within
     * {@code delivery.timeout.ms} itself; this timeout is the bound the gateway keeps whatever the producer is
     * configured to do.
     *
     * @throws ExecutionException the send failed, or was not acknowledged in time (a {@link TimeoutException} cause)
     */
    private void acknowledged(CompletableFuture<?> sent) throws InterruptedException, ExecutionException {
        waiting.put(sent, System.nanoTime() + timeoutNanos);
        try {
            sent.get();
        } finally {
            waiting.remove(sent);
        }
    }

    /** Completes, with a {@link TimeoutException}, every send waited for beyond the publish timeout. */
    private void expire() {
        try {
            long now = System.nanoTime();
            waiting.forEach((sent, until) -> {
                if (now - until >= 0 && !sent.isDone()) {
                    sent.completeExceptionally(new TimeoutException("no acknowledgement from Kafka within " + timeout));
                }
            });
        } catch (RuntimeException | Error e) {
            // a run that throws would cancel every later one: the publish timeout would be gone for good
            log.error("could not give up the sends past the publish timeout; trying again in {}", EXPIRY_CHECK, e);
        }
    }

    /** Stops the timeouts; a hook still waiting then (after the web server's graceful drain) is answered 503. */
    @jakarta.annotation.PreDestroy
    void stop() {
        expiry.shutdownNow();
        waiting.keySet().forEach(sent -> sent.completeExceptionally(new TimeoutException("the gateway is stopping")));
    }

    /** How long a write waits for Kafka's acknowledgement ({@code vigil.gateway.publish-timeout}). */
    public Duration publishTimeout() {
        return timeout;
    }

    /** The masker every published text goes through (for sources that must mask inside their own encodings). */
    public SecretMasker masker() {
        return masker;
    }

    /**
     * Keeps a refused input on {@code backup.rejected}, its secrets masked; a failure here is logged, never thrown
     * at the caller.
     */
    public void reject(RejectedInput input) {
        input = new RejectedInput(input.source(), masker.mask(input.path()), input.method(), input.status(),
                masker.mask(input.reason()), masker.maskRaw(input.raw()), input.truncated(), input.headers(),
                input.remoteAddress(), input.receivedAt());
        try {
            acknowledged(kafka.send(CloudEventRecords.record(Topics.REJECTED, input.source(), input,
                    java.util.UUID.randomUUID().toString(), "dev.vigil.backup.rejected", "gateway",
                    input.receivedAt(), MDC.get(TRACE_ID_MDC))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            log.warn("could not keep a rejected {} input on {}: {}", input.source(), Topics.REJECTED, e.toString());
        }
    }
}
