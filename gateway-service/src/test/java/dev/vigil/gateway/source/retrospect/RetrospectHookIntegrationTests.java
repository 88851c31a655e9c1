package dev.vigil.gateway.source.retrospect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.GatewayIntegrationTest;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Outcome;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Topics;
import java.io.File;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Retrospect endpoint, driven by the shipped POSIX handler itself, as Retrospect runs it. */
class RetrospectHookIntegrationTests extends GatewayIntegrationTest {

    static final String TOKEN = "retro-token-for-tests-01";
    static final Path HANDLER = Path.of("../clients/retrospect/RetroEventHandler").toAbsolutePath().normalize();

    @TempDir
    Path spool;

    @Test
    void theShippedHandlerDeliversEveryEventOfTheSampleHarness() throws Exception {
        List<List<String>> calls = List.of(
                List.of("StartApp", "11/21/2016 18:06", "true", "/Library/Application Support/Retrospect/intv0000.reh"),
                List.of("StartScript", "Daily Backup", "11/21/2016 18:06", "/x/intv0001.reh"),
                List.of("StartSource", "Daily Backup", "Mac HD", "/Volumes/Mac HD/", "My Computer", "/x/intv0002.reh"),
                List.of("EndSource", "Daily Backup", "My Computer/Mac HD", "/Volumes/Mac HD/", "My Computer", "216827",
                        "102", "21", "11/21/2016 18:19", "11/21/2016 18:19", "11/21/2016 18:19", "Backup Set A",
                        "Normal", "Mac HD", "0", "0", "successful"),
                List.of("EndScript", "Daily Backup", "7", "-530", "backup client not found"),
                List.of("PasswordEntry", "Suzy's iMac", "7", "-1017", "insufficient permissions"),
                List.of("EndApp", "11/21/2016 18:20"));
        for (List<String> argv : calls) {
            assertThat(runHandler(argv, "http://127.0.0.1:" + port)).isZero();
        }

        List<BackupEvent> events = TopicTail.values(tail.await(calls.size(), Topics.EVENTS, Duration.ofSeconds(20)),
                BackupEvent.class);
        assertThat(events).extracting(BackupEvent::type).containsExactlyInAnyOrder(EventType.APP_STARTED,
                EventType.BACKUP_STARTED, EventType.SOURCE_STARTED, EventType.SOURCE_FINISHED,
                EventType.BACKUP_FINISHED, EventType.LOGIN, EventType.APP_STOPPED);
        BackupEvent endScript = events.stream().filter(e -> e.type() == EventType.BACKUP_FINISHED).findFirst().orElseThrow();
        assertThat(endScript.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(endScript.error().code()).isEqualTo("-530");
        assertThat(endScript.job().asString()).isEqualTo("acme/3723707/Daily Backup");
        assertThat(endScript.attributes()).containsKeys("host", "platform");
        assertThat(endScript.id()).startsWith("retrospect-retro-engine-");
        assertThat(events).filteredOn(e -> e.type() == EventType.LOGIN).extracting(e -> e.job().job())
                .containsExactly("Suzy's iMac");
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void whenVigilCannotBeReachedTheHandlerSpoolsAndALaterCallSendsTheSpoolOnce() throws Exception {
        long start = System.nanoTime();
        assertThat(runHandler(List.of("EndScript", "Nightly", "0", "-1", "unknown error"), "http://127.0.0.1:1")).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(Files.list(spool).filter(f -> f.toString().endsWith(".call")).count()).isEqualTo(1);

        assertThat(runHandler(List.of("StartScript", "Nightly", "11/21/2016 22:00", "/x/intv.reh"),
                "http://127.0.0.1:" + port)).isZero();

        List<BackupEvent> events = TopicTail.values(tail.await(2, Topics.EVENTS, Duration.ofSeconds(20)), BackupEvent.class);
        assertThat(events).extracting(BackupEvent::type)
                .containsExactlyInAnyOrder(EventType.BACKUP_STARTED, EventType.BACKUP_FINISHED);
        for (int i = 0; i < 50 && Files.list(spool).anyMatch(f -> f.toString().endsWith(".call")); i++) {
            Thread.sleep(100);
        }
        assertThat(Files.list(spool).filter(f -> f.toString().endsWith(".call"))).isEmpty();
        assertThat(tail.settle(Duration.ofSeconds(1))).filteredOn(r -> r.topic().equals(Topics.EVENTS)).hasSize(2);
    }

    @Test
    void aCallSpooledWhileVigilWasDownIsSentByTheRetrierAsSoonAsVigilAnswersKeepingItsTime() throws Exception {
        int downPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            downPort = probe.getLocalPort(); // free, and nothing listens on it once closed
        }
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertThat(runHandler(List.of("StartScript", "Retried", "", "/x/intv.reh"), "http://127.0.0.1:" + downPort)).isZero();
        assertThat(Files.list(spool).filter(f -> f.toString().endsWith(".call")).count()).isEqualTo(1);
        Thread.sleep(3_000); // Vigil stays away through the retrier's first attempts
        try (Forwarder vigilIsBack = new Forwarder(downPort, port)) {
            List<BackupEvent> events = TopicTail.values(tail.await(1, Topics.EVENTS, Duration.ofSeconds(30)), BackupEvent.class);
            assertThat(events).extracting(BackupEvent::type).containsExactly(EventType.BACKUP_STARTED);
            BackupEvent started = events.get(0);
            assertThat(started.occurredAt()).as("the time Retrospect ran the handler, not the late delivery")
                    .isBetween(before, before.plusSeconds(2));
            assertThat(started.receivedAt()).isAfter(before.plusSeconds(2));
            for (int i = 0; i < 50 && Files.list(spool).anyMatch(f -> f.toString().endsWith(".call")); i++) {
                Thread.sleep(100);
            }
            assertThat(Files.list(spool).filter(f -> f.toString().endsWith(".call"))).isEmpty();
        }
    }

    /** Relays TCP connections from one local port to another: Vigil "coming back" on the port a handler knows. */
    static final class Forwarder implements AutoCloseable {
        private final java.net.ServerSocket server;

        Forwarder(int from, int to) throws Exception {
            server = new java.net.ServerSocket(from, 50, java.net.InetAddress.getLoopbackAddress());
            daemon(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket in = server.accept();
                        java.net.Socket out = new java.net.Socket("127.0.0.1", to);
                        daemon(() -> pipe(in, out));
                        daemon(() -> pipe(out, in));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }

        private static void daemon(Runnable work) {
            Thread thread = new Thread(work);
            thread.setDaemon(true);
            thread.start();
        }

        private static void pipe(java.net.Socket from, java.net.Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (Exception e) {
                // the other side closed
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    @Test
    void jsonCallsWorkToo() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/hooks/retrospect"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .header("Idempotency-Key", "k-1")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"argv\":[\"\\\"EndScript\\\"\",\"\\\"Nightly\\\"\",\"\\\"0\\\"\",\"\\\"0\\\"\",\"\\\"successful\\\"\"],"
                                + "\"host\":\"WIN-ENGINE\",\"platform\":\"Windows\"}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"type\":\"BACKUP_FINISHED\"").contains("retrospect-retro-engine-k-1");
        BackupEvent event = TopicTail.value(tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0), BackupEvent.class);
        assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(event.attributes()).containsEntry("host", "WIN-ENGINE");
    }

    @Test
    void withoutATokenItIs401BeforeItsBodyIsReadAndAFloodIsOnlySampledOnRejected() throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/hooks/retrospect"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Bearer wrong-token-number-" + i)
                    .POST(HttpRequest.BodyPublishers.ofString("arg=EndScript&arg=Nightly")));
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        List<ConsumerRecord<String, String>> rejected = tail.await(1, Topics.REJECTED, Duration.ofSeconds(10));
        RejectedInput sample = TopicTail.value(rejected.get(0), RejectedInput.class);
        assertThat(sample.status()).isEqualTo(401);
        assertThat(sample.raw()).as("nobody known sent it: its body is not read, not kept").isEmpty();
        assertThat(tail.settle(Duration.ofMillis(500))).as("20 refusals in well under 20 s, kept at most once a second")
                .hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void overTheRateLimitItIs429WithRetryAfter() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(send(HttpRequest.newBuilder(uri("/hooks/retrospect"))
                    .header("Authorization", "Bearer limited-token-for-tests1")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("arg=EndApp&arg=11/21/2016 18:20"))).statusCode());
        }
        assertThat(statuses).contains(200, 429);
        HttpResponse<String> limited = send(HttpRequest.newBuilder(uri("/hooks/retrospect"))
                .header("Authorization", "Bearer limited-token-for-tests1")
                .POST(HttpRequest.BodyPublishers.ofString("arg=EndApp")));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/hooks/retrospect"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("arg=" + "x".repeat(70_000))));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(TopicTail.value(tail.await(1, Topics.REJECTED, Duration.ofSeconds(10)).get(0), RejectedInput.class)
                .truncated()).isTrue();
    }

    private int runHandler(List<String> argv, String url) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", HANDLER.toString()));
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.put("VIGIL_URL", url);
        env.put("VIGIL_TOKEN", TOKEN);
        env.put("VIGIL_SPOOL", spool.toString());
        Process process = builder.directory(new File(System.getProperty("java.io.tmpdir"))).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
