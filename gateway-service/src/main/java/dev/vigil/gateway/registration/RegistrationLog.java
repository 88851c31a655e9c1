package dev.vigil.gateway.registration;

import dev.vigil.kafka.InternalTopics;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The registrations made through the API, read from the compacted {@code backup.registrations}: every gateway
 * instance reads the whole topic from its beginning (a read-only lookup table, like a Kafka Streams global table) and
 * keeps reading, so a registration created, rotated or revoked on one instance authenticates, or stops
 * authenticating, on every instance within a poll (well under a second on a healthy broker).
 * <p>
 * Records: key {@code <id>} → {@link StoredRegistration} (one with {@code revokedAt} is revoked: it authenticates
 * nothing, and its id and token hashes stay taken); key {@code <id>/slug/<slug>} →
 * {@link CreatedSlug}, a check a ping key made by {@code ?create=1} (one record per slug, so two instances creating
 * checks at once never overwrite each other). An unreadable record is counted in
 * {@code vigil_gateway_registrations_unreadable_total} and skipped.
 * <p>
 * {@link #write} returns once this instance has read its own write back, so an API answer is followed by a view that
 * holds it. The instance is ready ({@code registrations} health) once it has read what the topic held when it started.
 * <p>
 * <b>One writer at a time, across instances.</b> A change is decided against the view and then written: two
 * instances (or two calls on one) deciding at once would both find an id or a token free and both write it. So every
 * change runs in {@link #exclusively}: one at a time on this instance, and written in a Kafka transaction whose
 * {@code transactional.id} ({@value #WRITER_ID}) every gateway instance shares. Kafka lets only the producer that
 * registered that id last commit (it fences the others, KIP-98), and this instance decides only after reading
 * everything committed up to that registration. A change decided on a view another instance has written past since is
 * fenced, not committed, and decided again on the view that holds the other's write. The reader reads committed
 * records only, so a fenced change is never seen.
 */
@Component
public class RegistrationLog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RegistrationLog.class);
    static final String SLUG_INFIX = "/slug/";

    /** A check made by a ping with {@code ?create=1}. */
    public record CreatedSlug(String registration, String slug, Instant createdAt) {
    }

    private final KafkaProperties kafkaProperties;
    private final KafkaTemplate<String, Object> kafka;
    private final MeterRegistry meters;
    private final Map<String, StoredRegistration> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByTokenHash = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> createdSlugs = new ConcurrentHashMap<>();
    /** Revoked registrations by id, and the hashes of their tokens: never to be given out again. */
    private final Map<String, StoredRegistration> revoked = new ConcurrentHashMap<>();
    private final Set<String> burntTokenHashes = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile Map<TopicPartition, Long> startEnd;
    private volatile boolean caughtUp;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile List<TopicPartition> partitions = List.of();
    private Thread reader;
    /** Held while a change is decided and written ({@link #exclusively}). */
    private final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();
    /** The transactional producer of changes, registered under {@link #WRITER_ID}; only used while {@link #writing} is held. */
    private KafkaProducer<String, byte[]> writer;
    private Admin admin;

    /** The {@code transactional.id} every gateway instance writes registration changes under (KIP-98 fencing). */
    static final String WRITER_ID = "vigil-gateway-registrations";

    public RegistrationLog(KafkaProperties kafkaProperties, KafkaTemplate<String, Object> kafka, MeterRegistry meters) {
        this.kafkaProperties = kafkaProperties;
        this.kafka = kafka;
        this.meters = meters;
    }

    /** The registration {@code id}, if the API made it and it is not revoked. */
    public Optional<StoredRegistration> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every registration the API made, not revoked. */
    public List<StoredRegistration> all() {
        return List.copyOf(byId.values());
    }

    /** The registration one of whose token hashes is {@code sha256} (expired grace periods included; check them). */
    Optional<StoredRegistration> byTokenHash(String sha256) {
        String id = idByTokenHash.get(sha256);
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /** True when {@code sha256} is the hash of a token of any registration made through the API, revoked ones too. */
    boolean isTokenHash(String sha256) {
        return idByTokenHash.containsKey(sha256) || burntTokenHashes.contains(sha256);
    }

    /** True when any registration made through the API (revoked ones too) has a token. */
    boolean hasTokenHashes() {
        return !idByTokenHash.isEmpty() || !burntTokenHashes.isEmpty();
    }

    /** True when {@code id} was a registration's that is revoked: the id stays taken. */
    boolean wasRevoked(String id) {
        return revoked.containsKey(id);
    }

    /** True when {@code registration} has the check {@code slug}: listed in it, or made by {@code ?create=1}. */
    boolean hasSlug(StoredRegistration registration, String slug) {
        return registration.slugs().contains(slug)
                || createdSlugs.getOrDefault(registration.id(), Set.of()).contains(slug);
    }

    /** The checks of a ping key made by {@code ?create=1}. */
    Set<String> createdSlugs(String id) {
        return Set.copyOf(createdSlugs.getOrDefault(id, Set.of()));
    }

    /** True once the view holds everything the topic held when this instance started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Decides and makes a change alone: {@code decision} reads the view (which then holds every change any instance
     * committed before) and calls {@link #write} for each record it changes, or refuses by returning or throwing. The
     * records of one decision are one transaction: all of them are committed, or none (a revocation and the checks it
     * removes). When another instance wrote in between, the transaction is fenced and {@code decision} runs again on
     * the view that holds the other's change, after a growing random pause ({@link #backOff}), until {@code timeout}
     * runs out. The writer is registered under {@value #WRITER_ID} (fencing the other instances) by the first
     * decision that writes, not by one that refuses, so refusals never fence another instance's change. A decision
     * made before that registration is decided again when the topic moved in between. Changes {@link #tell told}
     * during the decision are sent once it is committed. A decision that writes nothing commits nothing. Counted in
     * {@code vigil_gateway_registrations_redecided_total} ({@code reason}: {@code fenced}, {@code stale}).
     *
     * @return what {@code decision} returned
     * @throws Unavailable when Kafka did not register the writer, show the view's end or take the change within
     *                     {@code timeout}
     */
    <T> T exclusively(Duration timeout, java.util.function.Supplier<T> decision) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!writing.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Unavailable("another registration change on this instance did not end in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting to change a registration", e);
        }
        T result;
        List<dev.vigil.model.Change> told;
        try {
            for (int fences = 0; ; ) {
                if (!running) {
                    throw new Unavailable("the gateway is stopping");
                }
                decidedOn = catchUp(deadline);
                this.deadline = deadline;
                this.decisionTimeout = timeout.toNanos();
                written.clear();
                toTell.clear();
                try {
                    result = decision.get();
                    commit(deadline);
                    told = List.copyOf(toTell);
                    break;
                } catch (Fenced e) {
                    abort();
                    meters.counter("vigil.gateway.registrations.redecided", "reason", e.stale ? "stale" : "fenced")
                            .increment();
                    log.info("another instance changed registrations meanwhile ({}); deciding again",
                            e.stale ? "after the view was read" : e.getCause().getClass().getSimpleName());
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new Unavailable("other instances changed registrations all along; try again", e);
                    }
                    if (!e.stale) {
                        backOff(++fences, left);
                    }
                } catch (RuntimeException | Error e) {
                    abort();
                    throw e;
                }
            }
        } finally {
            written.clear();
            toTell.clear();
            writing.unlock();
        }
        told.forEach(this::send);
        return result;
    }

    /**
     * Waits before deciding again after the {@code fences}-th fence: a random 20 to 40 ms, doubled with each fence up to
     * 320 to 640 ms, and never past the decision's time ({@code left} nanoseconds). The other instance's decision
     * (a few milliseconds to commit) then ends before this one fences it in turn.
     */
    private static void backOff(int fences, long left) {
        long base = 20L << Math.min(fences - 1, 4);
        long wait = Math.min(TimeUnit.NANOSECONDS.toMillis(left),
                java.util.concurrent.ThreadLocalRandom.current().nextLong(base, 2 * base + 1));
        try {
            Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while changing a registration", interrupted);
        }
    }

    /** The last stable offsets of the view the decision under way was made on ({@link #catchUp}). */
    private Map<TopicPartition, Long> decidedOn = Map.of();

    /** The records written in the decision under way ({@link #exclusively}), and the changes it tells. */
    private final List<java.util.concurrent.Future<RecordMetadata>> written = new java.util.ArrayList<>();
    private final List<dev.vigil.model.Change> toTell = new java.util.ArrayList<>();
    private long deadline;
    /** The time, in nanoseconds, the decision under way was given. */
    private long decisionTimeout;

    /**
     * The transactional writer, registered under {@link #WRITER_ID} (fencing any other instance's) when there is none.
     * Each of its calls blocks at most {@code maxBlock} ({@code max.block.ms}); none is started past the decision's
     * deadline.
     */
    private void registerWriter(Duration maxBlock) {
        if (writer != null) {
            return;
        }
        Map<String, Object> properties = kafkaProperties.buildProducerProperties();
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, WRITER_ID);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(100, maxBlock.toMillis()));
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-gateway-registrations-writer-"
                + java.util.UUID.randomUUID());
        KafkaProducer<String, byte[]> producer;
        try {
            producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            throw new Unavailable("Kafka cannot be reached for a registration change: " + e.getMessage(), e);
        }
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw new Unavailable("Kafka did not register the registrations' writer: " + e.getMessage(), e);
        }
        writer = producer;
    }

    private void closeWriter() {
        if (writer != null) {
            writer.close(Duration.ZERO);
            writer = null;
        }
    }

    /** Commits the decision's records, if it wrote any, and waits until this instance has read them back. */
    private void commit(long deadline) {
        if (written.isEmpty()) {
            return;
        }
        RecordMetadata last = null;
        if (System.nanoTime() >= deadline) {
            throw new Unavailable("the registration change took too long"); // aborted by the caller
        }
        try {
            writer.commitTransaction();
            for (java.util.concurrent.Future<RecordMetadata> record : written) {
                last = record.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                        TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeWriter();
            throw new Unavailable("interrupted while writing a registration", e);
        } catch (Exception e) {
            closeWriter();
            if (fenced(e)) {
                throw new Fenced(e);
            }
            throw new Unavailable("Kafka did not take the registration change: " + e.getMessage(), e);
        }
        awaitRead(new TopicPartition(last.topic(), last.partition()), last.offset(), deadline);
    }

    /** Aborts the decision's transaction, if it wrote anything; a writer that cannot abort is let go. */
    private void abort() {
        if (written.isEmpty() || writer == null) {
            return;
        }
        try {
            writer.abortTransaction();
        } catch (RuntimeException e) {
            closeWriter();
        }
    }

    /**
     * Waits until the view holds everything committed to the topic now.
     *
     * @return the topic's last stable offsets the view now holds, by partition
     */
    private Map<TopicPartition, Long> catchUp(long deadline) {
        Map<TopicPartition, Long> end = lastStableOffsets(deadline);
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            awaitRead(partition.getKey(), partition.getValue() - 1, deadline);
        }
        return end;
    }

    /** The topic's last stable offsets ({@code READ_COMMITTED}): where what is committed to it now ends. */
    private Map<TopicPartition, Long> lastStableOffsets(long deadline) {
        List<TopicPartition> assigned = partitions;
        if (assigned.isEmpty()) {
            throw new Unavailable("the registrations are not read yet");
        }
        Map<TopicPartition, Long> end;
        try {
            if (admin == null) {
                admin = Admin.create(kafkaProperties.buildAdminProperties());
            }
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            assigned.forEach(partition -> latest.put(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            end = new HashMap<>();
            admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                            org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all()
                    .get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> end.put(partition, info.offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while reading where the registrations end", e);
        } catch (Exception e) {
            throw new Unavailable("Kafka did not say where the registrations end: " + e.getMessage(), e);
        }
        return end;
    }

    /**
     * Writes {@code value} (a {@link StoredRegistration}, a {@link CreatedSlug}, or {@code null} to delete) under
     * {@code key}, and returns once this instance has read it back. Inside {@link #exclusively} it joins that
     * decision's transaction (committed and read back when the decision returns); called alone, it is a decision of
     * its own.
     *
     * @throws Unavailable when Kafka did not take the write, or it was not read back, within {@code timeout}
     */
    void write(String key, Object value, String traceId, Duration timeout) {
        if (!writing.isHeldByCurrentThread()) {
            exclusively(timeout, () -> {
                write(key, value, traceId, timeout);
                return null;
            });
            return;
        }
        ProducerRecord<String, Object> headers = CloudEventRecords.record(InternalTopics.REGISTRATIONS, key, value,
                java.util.UUID.randomUUID().toString(), "dev.vigil.registration", "gateway", Instant.now(), traceId);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(InternalTopics.REGISTRATIONS, null, key,
                value == null ? null : Json.mapper().writeValueAsBytes(value), headers.headers());
        if (System.nanoTime() >= deadline) {
            throw new Unavailable("the registration change took too long");
        }
        if (writer == null) {
            // registered only by a decision that writes: a refusal never fences another instance's change
            registerWriter(Duration.ofNanos(decisionTimeout));
            if (!lastStableOffsets(deadline).equals(decidedOn)) {
                // another instance committed (or was aborted by this registration) after the view was read
                throw new Fenced(null, true);
            }
        }
        try {
            if (written.isEmpty()) {
                writer.beginTransaction();
            }
            written.add(writer.send(record));
        } catch (RuntimeException e) {
            closeWriter();
            if (fenced(e)) {
                throw new Fenced(e);
            }
            throw new Unavailable("Kafka did not take the registration change: " + e.getMessage(), e);
        }
    }

    /**
     * True when another instance registered the writer after this one: this one's transaction was aborted. Kafka says
     * so with a fenced or stale epoch, or, when the other's registration came while this one was committing, with
     * {@code INVALID_TXN_STATE} (the coordinator was already aborting the transaction) or an aborted transaction.
     */
    private static boolean fenced(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.ProducerFencedException
                    || cause instanceof org.apache.kafka.common.errors.InvalidProducerEpochException
                    || cause instanceof org.apache.kafka.common.errors.InvalidTxnStateException
                    || cause instanceof org.apache.kafka.common.errors.TransactionAbortedException) {
                return true;
            }
        }
        return false;
    }

    /** Waits until this instance has read {@code partition} past {@code offset}. */
    private void awaitRead(TopicPartition partition, long offset, long deadline) {
        synchronized (positions) {
            while (positions.getOrDefault(partition, 0L) <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new Unavailable("the registration change was written but not read back in time");
                }
                try {
                    positions.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Unavailable("interrupted while reading a registration change back", e);
                }
            }
        }
    }

    /**
     * Tells {@code change} on {@code backup.changes}; a failure is logged, the change itself stands. Inside
     * {@link #exclusively}, once the decision is committed (a change fenced or refused is never told).
     */
    void tell(dev.vigil.model.Change change) {
        if (writing.isHeldByCurrentThread()) {
            toTell.add(change); // told once the decision is committed, outside the lock
            return;
        }
        send(change);
    }

    private void send(dev.vigil.model.Change change) {
        log.info("{} {} of tenant {} {} by {}", change.kind(), change.subject(), change.tenant(), change.action(),
                change.actor());
        try {
            kafka.send(CloudEventRecords.record(Topics.CHANGES, change.subject(), change, change.id(),
                    dev.vigil.model.Change.CLOUD_EVENT_TYPE, "gateway", change.at(),
                    org.slf4j.MDC.get(CloudEventRecords.TRACE_ID_MDC))).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("{} of {} {} was made but not told on {}: {}", change.action(), change.kind(), change.subject(),
                    Topics.CHANGES, e.toString());
        }
    }

    @Override
    public void start() {
        Map<String, Object> properties = kafkaProperties.buildConsumerProperties();
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-gateway-registrations-" + java.util.UUID.randomUUID());
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        reader = new Thread(this::read, "registrations-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                try {
                    partitions = consumer.partitionsFor(InternalTopics.REGISTRATIONS, Duration.ofSeconds(5)).stream()
                            .map(PartitionInfo::partition).sorted()
                            .map(p -> new TopicPartition(InternalTopics.REGISTRATIONS, p)).toList();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    log.warn("waiting for {}: {}", InternalTopics.REGISTRATIONS, e.getMessage());
                }
                if (partitions.isEmpty()) {
                    Thread.sleep(1_000); // the topic is not there yet: ask again, without spinning
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            this.partitions = partitions;
            startEnd = consumer.endOffsets(partitions);
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    apply(record);
                }
                synchronized (positions) {
                    for (TopicPartition partition : partitions) {
                        positions.put(partition, consumer.position(partition));
                    }
                    positions.notifyAll();
                }
                if (!caughtUp && startEnd.entrySet().stream()
                        .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                    caughtUp = true;
                    log.info("{} registrations made through the API are known", byId.size());
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("the registrations reader stopped: {}", e.toString(), e);
            caughtUp = false;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            unreadable(record, "no key");
            return;
        }
        int slug = key.indexOf(SLUG_INFIX);
        try {
            if (slug > 0) {
                String id = key.substring(0, slug);
                String name = key.substring(slug + SLUG_INFIX.length());
                if (record.value() == null) {
                    createdSlugs.computeIfPresent(id, (k, set) -> {
                        set.remove(name);
                        return set.isEmpty() ? null : set;
                    });
                } else {
                    createdSlugs.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(name);
                }
                return;
            }
            StoredRegistration previous;
            if (record.value() == null) {
                previous = byId.remove(key);
            } else {
                StoredRegistration registration = Json.mapper().readValue(record.value(), StoredRegistration.class);
                if (registration.id() == null || !registration.id().equals(key) || registration.source() == null
                        || registration.tenant() == null || registration.account() == null) {
                    unreadable(record, "id, source, tenant and account are required and the id must be the key");
                    return;
                }
                if (registration.revokedAt() != null) {
                    previous = byId.remove(key);
                    revoked.put(key, registration);
                    registration.tokens().forEach(token -> burntTokenHashes.add(token.sha256()));
                } else {
                    previous = byId.put(key, registration);
                    for (StoredRegistration.TokenHash token : registration.tokens()) {
                        idByTokenHash.put(token.sha256(), key);
                    }
                }
            }
            if (previous != null) {
                StoredRegistration now = byId.get(key);
                for (StoredRegistration.TokenHash token : previous.tokens()) {
                    if (now == null || now.tokens().stream().noneMatch(t -> t.sha256().equals(token.sha256()))) {
                        idByTokenHash.remove(token.sha256(), key);
                    }
                }
            }
        } catch (RuntimeException e) {
            unreadable(record, e.getMessage());
        }
    }

    private void unreadable(ConsumerRecord<String, byte[]> record, String why) {
        meters.counter("vigil.gateway.registrations.unreadable").increment();
        log.warn("skipped the unreadable registration record at {}-{}@{}: {}", record.topic(), record.partition(),
                record.offset(), dev.vigil.model.Text.line(why, 300));
    }

    @Override
    public void stop() {
        writing.lock(); // a change under way is committed and read back first
        try {
            running = false;
            closeWriter();
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
                admin = null;
            }
        } finally {
            writing.unlock();
        }
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Another instance registered the writer after this one: the change was not committed; decide it again. */
    static final class Fenced extends RuntimeException {

        /** True when the change was decided on a view older than the writer's registration, and no one fenced it. */
        final boolean stale;

        Fenced(Throwable cause) {
            this(cause, false);
        }

        Fenced(Throwable cause, boolean stale) {
            super("another instance changed registrations meanwhile", cause);
            this.stale = stale;
        }
    }

    /** A registration change Kafka did not take, or this instance did not read back in time: the API's {@code 503}. */
    public static final class Unavailable extends IllegalStateException {

        Unavailable(String message) {
            super(message);
        }

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
