package dev.vigil.load;

import java.net.URI;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Drives a mix of backup hooks (XSIBackup GETs, healthchecks pings, Retrospect handler POSTs, stoney quota
 * reports) at a fixed rate against a running gateway, open loop: a request is due every 1/rate seconds whether
 * or not earlier ones were answered, and its latency is measured from when it was due, so a stalled gateway
 * shows up in the percentiles instead of slowing the generator down. Afterwards it counts the records that
 * reached {@code backup.events} and compares them with the acknowledged hooks.
 *
 * <p>Every hook carries {@code X-Request-Id: lg-<epoch millis it was due>-<n>}, which the gateway makes its trace id
 * and every alert caused by it carries in its {@code vigil_traceid} header. With {@code --alerts true}, a consumer of
 * {@code backup.alerts} (read-committed, as subscribers read) measures hook → alert for every alert the run caused,
 * and afterwards the rules' lag on {@code backup.events} is followed until it is 0. Two in a thousand hooks are a
 * failure of one of 50 jobs whose next run succeeds ({@code --failures-per-thousand}), so alerts fire and resolve all
 * along.
 *
 * <pre>java -jar load-generator/target/load-generator-*-exec.jar --rate 5000 --duration 30 [--url ...]
 *     [--concurrency 512] [--kafka localhost:9092] [--alerts true] [--failures-per-thousand 2] [--settle-max 180]</pre>
 * With {@code --alerts true}, the warm-up goes on in steps of 10 s (at most {@code --settle-max} s more) until the
 * rules' lag on {@code backup.events} is under half a second of hooks: the run measures a system that keeps up.
 * The tokens are the local stack's demo registrations ({@code gateway-local.yml}).
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Harness.options(args);
        String url = options.getOrDefault("url", "http://localhost:8080");
        int rate = Integer.parseInt(options.getOrDefault("rate", "2000"));
        int seconds = Integer.parseInt(options.getOrDefault("duration", "20"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "512"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        String kafka = options.getOrDefault("kafka", "localhost:9092");
        boolean alerts = Boolean.parseBoolean(options.getOrDefault("alerts", "false"));
        failureEvery = 1000 / Math.max(1, Math.min(100, Integer.parseInt(options.getOrDefault("failures-per-thousand", "2"))));

        URI target = URI.create(url);
        if (!"http".equals(target.getScheme()) || target.getHost() == null
                || !(target.getRawPath() == null || target.getRawPath().isEmpty() || target.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("--url takes http://host[:port] (no TLS, no path): " + url);
        }
        host = target.getHost() + (target.getPort() < 0 ? "" : ":" + target.getPort());
        OpenLoopClient client = new OpenLoopClient(target.getHost(), target.getPort() < 0 ? 80 : target.getPort(),
                concurrency, Duration.ofSeconds(30));
        AlertWatch watch = alerts ? AlertWatch.start(kafka) : null;
        if (warmup > 0) {
            System.out.printf("warming up for %d s at %d/s...%n", warmup, Math.min(rate, 1000));
            ConcurrentHistogram first = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
            run(client, Math.min(rate, 1000), warmup, first);
            if (alerts) {
                // services started cold compile their hot paths for a minute or more on two shared cores, and fall
                // behind meanwhile (at a higher rate again when it starts): the run measures the system once, at the
                // rate of the run, the rules keep up and the hooks are answered on time, and says how long that took
                int settleMax = Integer.parseInt(options.getOrDefault("settle-max", "180"));
                long onTimeMs = Long.parseLong(options.getOrDefault("on-time-ms", "250"));
                long lag = AlertWatch.rulesLag(kafka);
                double stepP99 = rate > 1000 ? Double.MAX_VALUE : ms(first, 99);
                int more = 0;
                while ((lag > Math.max(100, rate / 2) || stepP99 > onTimeMs) && more < settleMax) {
                    ConcurrentHistogram step = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
                    run(client, rate, 10, step);
                    more += 10;
                    lag = AlertWatch.rulesLag(kafka);
                    stepP99 = ms(step, 99);
                }
                System.out.printf("after the warm-up: rules' lag %d events, hook p99 %.0f ms over the last 10 s (%d s of"
                        + " warm-up at %d/s past the first %d s until the rules kept up and hooks were answered within"
                        + " %d ms%s)%n", lag, stepP99 == Double.MAX_VALUE ? 0 : stepP99, more, rate, warmup, onTimeMs,
                        more >= settleMax ? "; they did not within " + settleMax + " s" : "");
            }
        }
        long before = endOffsets(kafka);
        ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        if (watch != null) {
            watch.startMeasuring();
        }
        failuresAcked.set(0); // the warm-up's are not the run's
        runStart = next;
        System.out.printf("driving %d hooks/s for %d s against %s (at most %d in flight)...%n", rate, seconds, url, concurrency);
        Result result = run(client, rate, seconds, latency);
        client.close();
        Thread.sleep(1000);
        long onKafka = endOffsets(kafka) - before;
        if (watch != null) {
            long drainStart = System.nanoTime();
            long lag = AlertWatch.rulesLag(kafka);
            while (lag > 0 && System.nanoTime() - drainStart < TimeUnit.MINUTES.toNanos(5)) {
                Thread.sleep(1000);
                lag = AlertWatch.rulesLag(kafka);
            }
            System.out.printf("%nrules' lag on backup.events after the run: %d, %.1f s after the last hook%n", lag,
                    (System.nanoTime() - drainStart) / 1e9 + 1);
            Thread.sleep(3000); // the last alerts' transactions commit
            watch.close();
            Histogram toAlert = watch.latency;
            long expected = expectedFirings();
            long[] agree = finalStates(watch);
            System.out.printf("final alert state of the failing jobs: %d of %d match their last acknowledged verdict"
                    + " (%s)%n", agree[0], agree[1], agree[0] == agree[1] ? "all" : "MISMATCH " + (agree[1] - agree[0]));
            System.out.printf("alert transitions of the failing jobs: %d FIRING for %d acknowledged failures, %d of them"
                            + " after an acknowledged recovery (%s), %d RESOLVED; duplicate transitions: %d%n",
                    watch.firing.get(), failuresAcked.get(), expected,
                    watch.firing.get() >= expected ? "none lost" : (expected - watch.firing.get()) + " fewer: a job's"
                            + " hooks answered out of the order they were sent (a failover, or a gateway seconds behind),"
                            + " so a failure found its job already failing and raised nothing new; the final states"
                            + " decide",
                    watch.resolved.get(), watch.duplicates.get());
            System.out.printf("hook -> alert on backup.alerts (read-committed), %d failed-backup transitions: p50 %.0f ms"
                            + "  p95 %.0f ms  p99 %.0f ms  p99.9 %.0f ms  max %.0f ms%n", toAlert.getTotalCount(),
                    ms(toAlert, 50), ms(toAlert, 95), ms(toAlert, 99), ms(toAlert, 99.9), toAlert.getMaxValue() / 1000.0);
            watch.slowest.descendingMap().forEach((key, slow) -> System.out.printf("  slowest: %,d ms, %s%n",
                    key / 1_000_000, slow));
        }

        System.out.printf("%nsent %d in %.1f s: %.0f hooks/s offered, %.0f acknowledged/s%n", result.sent,
                result.elapsedSeconds, result.sent / result.elapsedSeconds, result.ok / result.elapsedSeconds);
        System.out.printf("acknowledged (2xx) %d, refused %d, failed (no answer) %d%n", result.ok, result.refused, result.failed);
        System.out.printf("latency ms  p50 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n", ms(latency, 50),
                ms(latency, 95), ms(latency, 99), ms(latency, 99.9), latency.getMaxValue() / 1000.0);
        System.out.printf("records added to backup.events: %d (%s)%n", onKafka, onKafka >= result.ok
                ? "every acknowledged hook is on Kafka" : "MISSING " + (result.ok - onKafka));
    }

    private record Result(long sent, long ok, long refused, long failed, double elapsedSeconds) {
    }

    private static Result run(OpenLoopClient client, int rate, int seconds, Histogram latency) throws IOException {
        long[] counts = new long[3]; // ok, refused, failed
        long total = (long) rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long first = next;
        next += total; // every run numbers its hooks on: a later run never repeats an earlier one's event ids
        client.run(first, total, start, intervalNanos, LoadGenerator::request, (n, status, nanos) -> {
            latency.recordValue(Math.max(0, nanos / 1000));
            if (status < 0) {
                counts[2]++;
            } else if (status / 100 == 2) {
                counts[0]++;
                if (failure(n)) {
                    failuresAcked.incrementAndGet();
                }
                String job = failingJob(n);
                if (job != null) {
                    verdicts.computeIfAbsent(job, j -> new java.util.concurrent.ConcurrentSkipListMap<>())
                            .put(n, failure(n));
                }
            } else {
                counts[1]++;
            }
        });
        return new Result(total, counts[0], counts[1], counts[2], (System.nanoTime() - start) / 1e9);
    }

    /** The acknowledged verdicts of each {@code FAIL} job, by hook number: true for a failure, false for a recovery. */
    private static final java.util.Map<String, java.util.NavigableMap<Long, Boolean>> verdicts =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The number of the run's first hook (after the warm-up). */
    private static long runStart;

    /** The {@code FAIL} job a hook reports on (its failure or its recovery), or {@code null}. */
    private static String failingJob(long n) {
        long slot = n / 10;
        long every = Math.max(1, failureEvery / 10);
        if (n % 10 != 0 || slot % every > 1) {
            return null;
        }
        return "FAIL" + Math.floorMod(slot / every - (failure(n) ? 0 : 25), 50);
    }

    /**
     * The run's acknowledged failures that must raise a FIRING: those whose job's previous acknowledged verdict was a
     * recovery (or that are its first). A failure after a refused recovery finds its job still firing and rightly
     * raises nothing new, so it is not counted.
     */
    private static long expectedFirings() {
        long expected = 0;
        for (java.util.NavigableMap<Long, Boolean> job : verdicts.values()) {
            boolean failing = false;
            for (java.util.Map.Entry<Long, Boolean> verdict : job.entrySet()) {
                if (verdict.getValue() && !failing && verdict.getKey() >= runStart) {
                    expected++;
                }
                failing = verdict.getValue();
            }
        }
        return expected;
    }

    /**
     * Whether each {@code FAIL} job with a transition during the run ends in the state its last acknowledged verdict
     * says (FIRING after a failure, RESOLVED after a recovery): order-proof, unlike counting FIRINGs, since a hook held
     * back during a broker failover may reach the rules after a newer one of its job (the rules rightly take it as late).
     *
     * @return the jobs that agree, and the jobs judged
     */
    private static long[] finalStates(AlertWatch watch) {
        long agree = 0;
        long judged = 0;
        for (var job : watch.latest.entrySet()) {
            java.util.NavigableMap<Long, Boolean> acked = verdicts.get(job.getKey());
            if (acked == null || acked.isEmpty()) {
                continue;
            }
            judged++;
            boolean failing = acked.lastEntry().getValue();
            if (failing == (job.getValue() == dev.vigil.model.AlertStatus.FIRING)) {
                agree++;
            }
        }
        return new long[] {agree, judged};
    }

    /** True for the hooks that are a failure of one of the {@code FAIL} jobs. */
    private static boolean failure(long n) {
        long every = Math.max(1, failureEvery / 10);
        return n % 10 == 0 && (n / 10) % every == 0;
    }

    /** The number of the next hook: PIDs, run ids and idempotency keys are made of it. */
    private static long next;

    /** Failure hooks the gateway acknowledged: each must raise a FIRING alert. */
    private static final AtomicLong failuresAcked = new AtomicLong();

    /** Every this many hooks, one fails (and the next XSIBackup hook of the same slot resolves it). */
    private static long failureEvery = 500;

    /**
     * The mix: 40 % XSIBackup, 30 % pings, 20 % Retrospect, 10 % stoney quota. With {@link #failureEvery}, a job of
     * its own ({@code FAIL0..49}) fails, and its next run, 25 failures later, succeeds.
     */
    static byte[] request(long n, long dueMillis) {
        int kind = (int) (n % 10);
        long slot = n / 10;
        long every = Math.max(1, failureEvery / 10);
        String trace = "lg-" + dueMillis + "-" + n;
        if (kind == 0 && slot % every <= 1) {
            // a job fails, and succeeds again 25 cycles later: long after, so the two never arrive the other way round
            boolean failing = failure(n);
            String job = "FAIL" + Math.floorMod(slot / every - (failing ? 0 : 25), 50);
            String inner = "PID=" + n + "|t=60|cmd=" + b64("--backup-vms=" + job + " --backup-type=custom")
                    + (failing ? "|err=" + b64(job + ": snapshot failed") : "");
            return http("GET", "/hooks/xsibackup/demo-xsibackup-token-0001/" + (failing ? "error" : "success") + "?"
                    + b64(inner), trace, null, null);
        }
        if (kind < 4) {
            String inner = "PID=" + n + "|t=" + (n % 3600) + "|cmd=" + b64("--backup-vms=VM" + (n % 100) + " --backup-type=custom")
                    + (kind == 0 ? "|err=" + b64("VM: snapshot failed") : "");
            return http("GET", "/hooks/xsibackup/demo-xsibackup-token-0001/" + (kind == 0 ? "error" : "success") + "?"
                    + b64(inner), trace, null, null);
        }
        if (kind < 7) {
            return http("GET", "/ping/0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b" + (kind == 4 ? "/start" : "") + "?rid="
                    + String.format("%08x-0000-4000-8000-%012x", n, n), trace, null, null);
        }
        if (kind < 9) {
            String body = "host=engine-" + (n % 20) + "&platform=Darwin&arg=EndScript&arg=Job+" + (n % 50) + "&arg=0&arg=0&arg=successful";
            return http("POST", "/hooks/retrospect", trace, "Authorization: Bearer demo-retrospect-token-0001\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nIdempotency-Key: load-" + n + "\r\n", body);
        }
        // getQuota's "quota backup snapshot" in MiB (sources.md, stoney): 100 accounts, each starting at its own usage
        // (1 % to 88 %) and growing by 1 MiB a report, as backups fill a volume; those above the 80 % threshold
        // fire once and stay firing
        long account = n % 1000;
        long used = Math.min(10_000, (account * 7_919) % 9_000 + n / 1000);
        return http("POST", "/hooks/stoney/" + (3_800_000 + account) + "/quota", trace,
                "Authorization: Bearer demo-stoney-token-000001\r\n", "10240 " + used + " 100");
    }

    /** The {@code Host} header's value, from {@code --url}. */
    private static String host = "localhost:8080";

    /** A whole HTTP/1.1 request (RFC 9112): {@code headers} are complete lines, each ending in CRLF, or null. */
    private static byte[] http(String method, String target, String trace, String headers, String body) {
        StringBuilder request = new StringBuilder(320).append(method).append(' ').append(target)
                .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\nX-Request-Id: ").append(trace).append("\r\n");
        if (headers != null) {
            request.append(headers);
        }
        if (body != null) {
            request.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n")
                    .append(body);
        } else {
            request.append("\r\n");
        }
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code backup.alerts} from its end as the run starts and times every alert a hook of the run caused. */
    private static final class AlertWatch implements AutoCloseable {

        final ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        final AtomicLong firing = new AtomicLong();
        final AtomicLong resolved = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        /** The slowest hook -> alert transitions, to find where their time went: trace, when read, partition, offset. */
        final java.util.concurrent.ConcurrentSkipListMap<Long, String> slowest = new java.util.concurrent.ConcurrentSkipListMap<>();
        /** The last failed-backup transition of each FAIL job, in the order the rules wrote them. */
        final Map<String, dev.vigil.model.AlertStatus> latest = new java.util.concurrent.ConcurrentHashMap<>();
        /** Each alert's last transition: the rules write one only when something changed. */
        private final java.util.Map<String, String> lastTransition = new java.util.concurrent.ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        /** Hooks due from this epoch milli on are timed; the watch reads (and warms up) before that. */
        private volatile long measureFrom = Long.MAX_VALUE;

        /**
         * Times the alerts of hooks due from now on, and counts transitions afresh: the watch is started before the
         * warm-up, so its first reads (a new consumer's first fetch, the first alert's JSON) are not the system's.
         */
        void startMeasuring() {
            firing.set(0);
            resolved.set(0);
            duplicates.set(0);
            slowest.clear();
            latency.reset();
            measureFrom = System.currentTimeMillis();
        }

        private AlertWatch(String bootstrap) {
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor("backup.alerts", Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                try (consumer) {
                    while (running) {
                        for (var record : consumer.poll(Duration.ofMillis(100))) {
                            var header = record.headers().lastHeader("vigil_traceid");
                            String trace = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
                            if (record.value() == null) {
                                continue;
                            }
                            dev.vigil.model.Alert alert = dev.vigil.model.Json.read(record.value(), dev.vigil.model.Alert.class);
                            // the verdicts a hook itself causes (a failure, its recovery); alerts of a deadline carry
                            // the trace of the hook that set it, long before
                            long due = trace.startsWith("lg-") ? Long.parseLong(trace.split("-")[1]) : 0;
                            if (due >= measureFrom && dev.vigil.model.Rules.FAILED_BACKUP.equals(alert.rule())) {
                                long now = System.currentTimeMillis();
                                latency.recordValue(Math.max(0, (now - due) * 1000));
                                // written: the record's timestamp, when the rules produced it; read: when it got here
                                slowest.put((now - due) * 1_000_000 + slowest.size(), trace + " written "
                                        + java.time.Instant.ofEpochMilli(record.timestamp()) + " read "
                                        + java.time.Instant.ofEpochMilli(now) + " " + alert.status() + " "
                                        + alert.job().job() + " partition " + record.partition() + " offset "
                                        + record.offset());
                                if (slowest.size() > 5) {
                                    slowest.pollFirstEntry();
                                }
                            }
                            if (alert.job().job().matches("FAIL\\d+")) {
                                (alert.status() == dev.vigil.model.AlertStatus.FIRING ? firing : resolved).incrementAndGet();
                                if (dev.vigil.model.Rules.FAILED_BACKUP.equals(alert.rule())) {
                                    latest.put(alert.job().job(), alert.status());
                                }
                            }
                            // one transition of one alert written twice in a row would be told twice (the same
                            // transition again after another, e.g. WARNING -> CRITICAL -> WARNING, is news)
                            String transition = alert.status() + "|" + alert.severity() + "|" + alert.startsAt()
                                    + "|" + alert.endsAt();
                            if (transition.equals(lastTransition.put(alert.fingerprint(), transition))) {
                                if (duplicates.incrementAndGet() <= 5) {
                                    System.out.println("duplicate transition: " + alert.rule() + " " + alert.status()
                                            + " " + alert.job().asString() + " " + alert.startsAt() + " " + alert.endsAt()
                                            + " event " + alert.eventId() + " partition " + record.partition()
                                            + " offset " + record.offset());
                                }
                            }
                        }
                    }
                }
            }, "alert-watch");
            thread.setDaemon(true);
            thread.start();
        }

        static AlertWatch start(String bootstrap) {
            return new AlertWatch(bootstrap);
        }

        /** Records of {@code backup.events} the rules ({@code vigil-rules}) have not committed yet. */
        static long rulesLag(String bootstrap) throws Exception {
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap));
                 KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                         ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArrayDeserializer(),
                         new ByteArrayDeserializer())) {
                var committed = admin.listConsumerGroupOffsets("vigil-rules").partitionsToOffsetAndMetadata().get();
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor("backup.events", Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                long lag = 0;
                for (var end : consumer.endOffsets(partitions).entrySet()) {
                    var offset = committed.get(end.getKey());
                    lag += end.getValue() - (offset == null ? 0 : offset.offset());
                }
                return lag;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    private static long endOffsets(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor("backup.events", Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
