package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.gateway.GatewayApplication;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.local.DemoDirectory;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.Json;
import dev.vigil.model.RejectedInput;
import dev.vigil.model.Topics;
import dev.vigil.notifier.NotifierApplication;
import dev.vigil.rules.RulesApplication;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The walking skeleton, across all three services on real servers: an XSIBackup error GET becomes a mail to the
 * people the LDAP directory names, and a later success GET becomes a "resolved" mail. Subclasses say which Kafka
 * broker it runs on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EndToEndScenario {

    static final String TOKEN = "e2e-xsibackup-token-0001";
    static final String GENERIC_TOKEN = "e2e-generic-token-000001";
    static final String OWNER = "demo-owner@example.org";
    static final String SUPPORT = "support@stepping-stone.ch";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private GreenMail smtp;
    private DemoDirectory directory;
    private String bootstrapServers;
    private int gatewayPort;

    /** Starts the broker of this variant and returns its bootstrap servers. */
    abstract String startKafka();

    void start() throws Exception {
        bootstrapServers = startKafka();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        directory = DemoDirectory.start(0, DemoDirectory.DEMO_DATA);
        Path stateDir = Files.createTempDirectory("vigil-rules-state");

        String kafka = "--spring.kafka.bootstrap-servers=" + bootstrapServers;
        ConfigurableApplicationContext gateway = GatewayApplication.application().run(kafka, "--server.port=0",
                "--management.server.port=0", "--spring.jmx.enabled=false",
                "--vigil.gateway.registrations[0].id=esxi-e2e",
                "--vigil.gateway.registrations[0].token=" + TOKEN,
                "--vigil.gateway.registrations[0].source=xsibackup",
                "--vigil.gateway.registrations[0].tenant=demo",
                "--vigil.gateway.registrations[0].account=3723707",
                "--vigil.gateway.registrations[1].id=generic-e2e",
                "--vigil.gateway.registrations[1].token=" + GENERIC_TOKEN,
                "--vigil.gateway.registrations[1].source=generic",
                "--vigil.gateway.registrations[1].tenant=demo",
                "--vigil.gateway.registrations[1].account=3723707");
        services.add(gateway);
        gatewayPort = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
        List<String> rulesArgs = new ArrayList<>(List.of(kafka, "--server.port=0", "--management.server.port=0",
                "--spring.jmx.enabled=false", "--spring.kafka.streams.state-dir=" + stateDir));
        rulesArgs.addAll(apiKeys());
        services.add(RulesApplication.application().run(rulesArgs.toArray(String[]::new)));
        services.add(startNotifier());
    }

    private ConfigurableApplicationContext startNotifier() {
        List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--server.port=0", "--management.server.port=0", "--spring.jmx.enabled=false",
                "--spring.mail.port=" + smtp.getSmtp().getPort(), "--spring.ldap.urls=" + directory.url()));
        args.addAll(apiKeys());
        return NotifierApplication.application().run(args.toArray(String[]::new));
    }

    /** The read key of tenant demo for the rules' and the notifier's APIs. */
    static final String API_KEY = "e2e-demo-read-key-00001";

    static List<String> apiKeys() {
        return List.of("--vigil.api.keys[0].id=e2e-demo-read", "--vigil.api.keys[0].tenant=demo",
                "--vigil.api.keys[0].sha256=" + dev.vigil.security.ApiKeyIntrospector.sha256Hex(API_KEY));
    }

    @AfterAll
    void stop() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void anXsiBackupErrorIsMailedToTheDirectoryRecipientsAndASuccessResolvesIt() throws Exception {
        try (TopicTail deliveries = TopicTail.open(bootstrapServers, Topics.DELIVERIES)) {
            HttpResponse<String> error = get("/hooks/xsibackup/" + TOKEN + "/error?" + xsiQuery("4711", "845",
                    "--backup-vms=WIN7,ERP01 --backup-type=custom", "ERP01: snapshot creation failed\nWIN7: 0 errors"));
            assertThat(error.statusCode()).isEqualTo(200);
            assertThat(error.body()).isEqualTo("OK");

            await().atMost(Duration.ofSeconds(60)).until(() -> mails("WIN7,ERP01 of account 3723707 failed").size() == 2);
            List<MimeMessage> failed = mails("WIN7,ERP01 of account 3723707 failed");
            assertThat(failed).extracting(EndToEndScenario::to).containsExactlyInAnyOrder(OWNER, SUPPORT);
            assertThat(failed.get(0).getSubject())
                    .isEqualTo("[Vigil] Backup WIN7,ERP01 of account 3723707 failed: ERP01: snapshot creation failed");
            List<DeliveryRecord> sent = TopicTail.values(deliveries.await(2, Topics.DELIVERIES, Duration.ofSeconds(20)),
                    DeliveryRecord.class);
            assertThat(sent).extracting(DeliveryRecord::status).containsOnly(DeliveryStatus.SENT);
            assertThat(sent).extracting(DeliveryRecord::channel).containsOnly("email");

            HttpResponse<String> success = get("/hooks/xsibackup/" + TOKEN + "/success?" + xsiQuery("4712", "830",
                    "--backup-vms=WIN7,ERP01 --backup-type=custom", null));
            assertThat(success.statusCode()).isEqualTo(200);
            assertThat(success.body()).isEqualTo("OK");

            await().atMost(Duration.ofSeconds(60)).until(() -> mails("Resolved: Backup WIN7,ERP01").size() == 2);
            List<MimeMessage> resolved = mails("Resolved: Backup WIN7,ERP01");
            assertThat(resolved).extracting(EndToEndScenario::to).containsExactlyInAnyOrder(OWNER, SUPPORT);
            assertThat(resolved.get(0).getSubject())
                    .startsWith("[Vigil] Resolved: Backup WIN7,ERP01 of account 3723707 succeeded again (problem lasted");
            assertThat(deliveries.await(4, Topics.DELIVERIES, Duration.ofSeconds(20))).hasSize(4);
        }
        assertThat(mails("WIN7,ERP01")).hasSize(4);
    }

    @Test
    void withTheNotifierStoppedAHookIsStillAcceptedAndMailedOnceWhenItIsBack() throws Exception {
        ConfigurableApplicationContext notifier = services.remove(services.size() - 1);
        notifier.close();

        HttpResponse<String> error = get("/hooks/xsibackup/" + TOKEN + "/error?" + xsiQuery("5150", "12",
                "--backup-vms=FILESRV", "FILESRV: datastore full"));
        assertThat(error.statusCode()).isEqualTo(200);
        assertThat(error.body()).isEqualTo("OK");
        Thread.sleep(2_000);
        assertThat(mails("FILESRV")).isEmpty();

        services.add(startNotifier());
        await().atMost(Duration.ofSeconds(60)).until(() -> mails("FILESRV").size() == 2);
        Thread.sleep(2_000);
        assertThat(mails("FILESRV")).hasSize(2); // once each, not twice
    }

    @Test
    void badInputIsRefusedWithAProblemAndKeptOnRejected() throws Exception {
        try (TopicTail rejected = TopicTail.open(bootstrapServers, Topics.REJECTED)) {
            String x7 = rawGet("/hooks/xsibackup/" + TOKEN + "/error?%%%notb64");
            assertThat(x7).startsWith("HTTP/1.1 400").contains("application/problem+json");

            HttpResponse<String> wrongToken = get("/hooks/xsibackup/wrong-token-for-e2e-000/error?"
                    + xsiQuery("1", "1", "--backup-vms=X", null));
            assertThat(wrongToken.statusCode()).isEqualTo(401);
            assertThat(wrongToken.headers().firstValue("Content-Type")).hasValue("application/problem+json");

            List<RejectedInput> inputs = TopicTail.values(rejected.await(2, Topics.REJECTED, Duration.ofSeconds(20)),
                    RejectedInput.class);
            assertThat(inputs).extracting(RejectedInput::status).containsExactly(400, 401);
            assertThat(inputs.get(0).raw()).isEqualTo("%%%notb64");
        }
    }

    /** The name of a Retrospect source job, with every character that has broken a key somewhere. */
    static final String ODD_JOB = "Daily/My Computer/Mac HD & R&D 100% 'x' \"q\" |ü";

    /**
     * Poison through every door: the gateway's public endpoint and bytes written straight to the topic. The gateway
     * refuses what it can judge; what reaches the rules is absorbed or dead-lettered; an ordinary failure that
     * follows still becomes an alert, and the rules stay RUNNING and live.
     */
    @Test
    void poisonedRecordsNeitherStopNorStallTheRules() throws Exception {
        try (TopicTail tail = TopicTail.open(bootstrapServers, Topics.ALERTS, Topics.EVENTS + Topics.DEAD_LETTER_SUFFIX)) {
            String waited = cloudEvent("p1", "poisoned", "\"type\":\"MEDIA_REQUEST\",\"outcome\":\"NONE\","
                    + "\"attributes\":{\"waitedMinutes\":\"soon\"}");
            assertThat(postEvent(waited).statusCode()).isEqualTo(200);
            String huge = "E".repeat(200_000);
            for (int i = 0; i < 6; i++) {
                assertThat(postEvent(cloudEvent("big" + i, "poisoned", "\"type\":\"BACKUP_FINISHED\","
                        + "\"outcome\":\"FAILED\",\"error\":{\"message\":\"" + huge + "\"}")).statusCode())
                        .isEqualTo(200);
            }
            assertThat(postEvent(cloudEvent("hb", "poisoned", "\"type\":\"HEARTBEAT\",\"occurredAt\":"
                    + "\"2099-01-01T00:00:00Z\"")).statusCode()).isEqualTo(400);
            assertThat(postEvent(cloudEvent("period", "poisoned", "\"type\":\"BACKUP_FINISHED\",\"outcome\":"
                    + "\"SUCCESS\",\"attributes\":{\"schedule.period\":\"-1d\"}")).statusCode()).isEqualTo(400);
            assertThat(postEvent(cloudEvent("far", "poisoned", "\"type\":\"BACKUP_FINISHED\",\"outcome\":"
                    + "\"SUCCESS\",\"occurredAt\":\"+999999999-12-31T23:59:59Z\"")).statusCode()).isEqualTo(200);
            assertThat(postEvent(cloudEvent("odd", ODD_JOB.replace("\"", "\\\""), "\"type\":\"BACKUP_FINISHED\","
                    + "\"outcome\":\"FAILED\"")).statusCode()).isEqualTo(200);
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                    "bootstrap.servers", bootstrapServers), new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.EVENTS, "demo/3723707/x",
                        "not json".getBytes(StandardCharsets.UTF_8))).get();
            }

            HttpResponse<String> ordinary = get("/hooks/xsibackup/" + TOKEN + "/error?" + xsiQuery("6001", "5",
                    "--backup-vms=AFTERPOISON", "AFTERPOISON: snapshot failed"));
            assertThat(ordinary.statusCode()).isEqualTo(200);
            var seen = tail.await(1, r -> r.topic().equals(Topics.ALERTS) && r.value().contains("AFTERPOISON"),
                    Duration.ofSeconds(60));
            assertThat(seen).anyMatch(r -> r.topic().equals(Topics.ALERTS) && r.value().contains("AFTERPOISON"));
            assertThat(tail.await(1, r -> r.topic().endsWith(Topics.DEAD_LETTER_SUFFIX), Duration.ofSeconds(20)))
                    .filteredOn(r -> r.topic().endsWith(Topics.DEAD_LETTER_SUFFIX))
                    .extracting(r -> r.value()).contains("not json");
        }
        ConfigurableApplicationContext rules = services.get(1);
        String management = rules.getEnvironment().getProperty("local.management.port");
        HttpResponse<String> liveness = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management
                + "/actuator/health/liveness")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(liveness.statusCode()).isEqualTo(200);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management
                + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"state\":\"RUNNING\"");

        String port = rules.getEnvironment().getProperty("local.server.port");
        String path = java.util.Arrays.stream(ODD_JOB.split("/", -1))
                .map(segment -> org.springframework.web.util.UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("/"));
        HttpRequest statusRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/jobs/demo/3723707/" + path)).header("Authorization", "Bearer " + API_KEY).build();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.send(statusRequest, HttpResponse.BodyHandlers.ofString())
                .statusCode() == 200);
        HttpResponse<String> status = http.send(statusRequest, HttpResponse.BodyHandlers.ofString());
        assertThat(Json.mapper().readTree(status.body()).path("summary").path("job").asString())
                .isEqualTo("demo/3723707/" + ODD_JOB);
        // the query form takes any name, also one a path would rewrite
        HttpResponse<String> byKey = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/job?key=" + java.net.URLEncoder.encode("demo/3723707/" + ODD_JOB, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + API_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(byKey.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(byKey.body()).path("summary").path("job").asString())
                .isEqualTo("demo/3723707/" + ODD_JOB);
    }

    private static String cloudEvent(String id, String job, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"urn:e2e\",\"type\":\"t\","
                + "\"data\":{\"job\":\"" + job + "\"," + data + "}}";
    }

    private HttpResponse<String> postEvent(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/api/v1/events"))
                .header("Authorization", "Bearer " + GENERIC_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** After the scenarios above: every record they made is checked against contracts/asyncapi.yaml. */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void everyRecordTheServicesWroteMatchesTheAsyncApiDocumentAndItsSchemas() throws Exception {
        TopicContract contract = new TopicContract();
        assertThat(contract.channels().values()).contains(Topics.EVENTS, Topics.ALERTS, Topics.DELIVERIES,
                Topics.REJECTED, Topics.ACCOUNTS, Topics.SILENCES);
        for (String channel : contract.channels().keySet()) {
            TopicContract.Result result = contract.check(bootstrapServers, channel);
            assertThat(result.problems()).as(channel).isEmpty();
            if (!List.of("silences", "accounts", "eventsDeadLetters", "changes").contains(channel)) {
                assertThat(result.records()).as("records on " + channel).isPositive();
            }
        }
    }

    /** Names in PromQL that are metrics: the prefixes of what Vigil, Micrometer and the Kafka clients export. */
    private static final Pattern METRIC = Pattern.compile(
            "\\b((?:vigil|kafka|jvm|http_server|process|system|executor|tomcat|logback)_[a-z0-9_]+)");

    /** After the scenarios above, so every metric they make exists. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyMetricTheDashboardAndTheAlertRulesUseIsExportedByTheServices() throws Exception {
        Set<String> exported = new TreeSet<>();
        for (ConfigurableApplicationContext service : services) {
            String port = service.getEnvironment().getProperty("local.management.port");
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            scrape.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                    .forEach(line -> exported.add(line.split("[{ ]", 2)[0]));
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> queries = new ArrayList<>();
        Map<String, List<Map<String, List<Map<String, Object>>>>> rules = new org.yaml.snakeyaml.Yaml()
                .load(Files.readString(root.resolve("ops/prometheus/vigil-rules.yml")));
        rules.get("groups").forEach(group -> group.get("rules").forEach(rule -> queries.add((String) rule.get("expr"))));
        Json.mapper().readTree(root.resolve("k8s/base/monitoring/dashboards/vigil.json").toFile()).get("panels")
                .forEach(panel -> panel.path("targets").forEach(target -> queries.add(target.path("expr").asString())));
        Set<String> used = new TreeSet<>();
        for (String query : queries) {
            Matcher metric = METRIC.matcher(query);
            while (metric.find()) {
                used.add(metric.group(1));
            }
        }
        assertThat(used).as("metrics named by the dashboard and the rules").hasSizeGreaterThan(10);
        assertThat(exported).as("metrics the services export").containsAll(used);
    }

    private List<MimeMessage> mails(String subjectPart) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(subjectPart);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static String to(MimeMessage message) {
        try {
            return ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String xsiQuery(String pid, String t, String cmd, String err) {
        StringBuilder inner = new StringBuilder("PID=" + pid + "|t=" + t + "|cmd=" + b64(cmd));
        if (err != null) {
            inner.append("|err=").append(b64(err));
        }
        return b64(inner.toString());
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String rawGet(String pathAndQuery) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gatewayPort)) {
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
