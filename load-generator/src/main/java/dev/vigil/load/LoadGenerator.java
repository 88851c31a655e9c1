package dev.vigil.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * <pre>java -jar load-generator/target/load-generator-*-exec.jar --rate 5000 --duration 30 [--url ...]
 *     [--concurrency 512] [--kafka localhost:9092]</pre>
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

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4, r -> {
                    Thread thread = new Thread(r, "load-http");
                    thread.setDaemon(true);
                    return thread;
                })).connectTimeout(Duration.ofSeconds(5)).build();
        if (warmup > 0) {
            System.out.printf("warming up for %d s at %d/s...%n", warmup, Math.min(rate, 1000));
            run(http, url, Math.min(rate, 1000), warmup, concurrency, new ConcurrentHistogram(3));
        }
        long before = endOffsets(kafka);
        ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        System.out.printf("driving %d hooks/s for %d s against %s (at most %d in flight)...%n", rate, seconds, url, concurrency);
        Result result = run(http, url, rate, seconds, concurrency, latency);
        Thread.sleep(1000);
        long onKafka = endOffsets(kafka) - before;

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

    private static Result run(HttpClient http, String url, int rate, int seconds, int concurrency, Histogram latency)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong ok = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long total = (long) rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            http.sendAsync(request(url, i), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                latency.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
                if (error != null) {
                    failed.incrementAndGet();
                } else if (response.statusCode() / 100 == 2) {
                    ok.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        inFlight.release(concurrency);
        return new Result(total, ok.get(), refused.get(), failed.get(), (System.nanoTime() - start) / 1e9);
    }

    /** The mix: 40 % XSIBackup, 30 % pings, 20 % Retrospect, 10 % stoney quota. */
    private static HttpRequest request(String url, long n) {
        int kind = (int) (n % 10);
        if (kind < 4) {
            String inner = "PID=" + n + "|t=" + (n % 3600) + "|cmd=" + b64("--backup-vms=VM" + (n % 100) + " --backup-type=custom")
                    + (kind == 0 ? "|err=" + b64("VM: snapshot failed") : "");
            return HttpRequest.newBuilder(URI.create(url + "/hooks/xsibackup/demo-xsibackup-token-0001/"
                    + (kind == 0 ? "error" : "success") + "?" + b64(inner))).timeout(Duration.ofSeconds(30)).GET().build();
        }
        if (kind < 7) {
            return HttpRequest.newBuilder(URI.create(url + "/ping/0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b"
                    + (kind == 4 ? "/start" : "") + "?rid=" + String.format("%08x-0000-4000-8000-%012x", n, n)))
                    .timeout(Duration.ofSeconds(30)).GET().build();
        }
        if (kind < 9) {
            String body = "host=engine-" + (n % 20) + "&platform=Darwin&arg=EndScript&arg=Job+" + (n % 50) + "&arg=0&arg=0&arg=successful";
            return HttpRequest.newBuilder(URI.create(url + "/hooks/retrospect"))
                    .header("Authorization", "Bearer demo-retrospect-token-0001")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Idempotency-Key", "load-" + n).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
        return HttpRequest.newBuilder(URI.create(url + "/hooks/stoney/" + (3_800_000 + n % 1000) + "/quota"))
                .header("Authorization", "Bearer demo-stoney-token-000001").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("10240 " + (n % 9000) + " 100")).build();
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
