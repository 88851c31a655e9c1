package dev.vigil.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.vigil.kafka.CloudEventRecords;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.local.DemoDirectory;
import dev.vigil.model.Alert;
import dev.vigil.model.AlertStatus;
import dev.vigil.model.DeliveryRecord;
import dev.vigil.model.DeliveryStatus;
import dev.vigil.model.JobKey;
import dev.vigil.model.Rules;
import dev.vigil.model.Severity;
import dev.vigil.model.Source;
import dev.vigil.model.Topics;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Alert in, mail out: a real broker, a real LDAP server over TCP and a real SMTP server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"spring.config.name=notifier", "server.port=0", "management.server.port=0",
        "vigil.notifier.delivery.initial-delay=200", "vigil.notifier.delivery.attempts=3",
        "vigil.notifier.directory.sync-initial-delay=1h",
        "vigil.notifier.inhibit-rules[0].source-matchers.rule=quota",
        "vigil.notifier.inhibit-rules[0].target-matchers.rule=failed-backup",
        "vigil.notifier.inhibit-rules[0].equal[0]=tenant",
        "vigil.notifier.inhibit-rules[0].equal[1]=account"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class NotifierIntegrationTests {

    @RegisterExtension
    static GreenMailExtension smtp = TestServers.smtp();

    static DemoDirectory directory = TestServers.directory();

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestServers.register(registry, smtp, directory);
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    org.springframework.kafka.config.KafkaListenerEndpointRegistry listeners;
    @org.springframework.beans.factory.annotation.Value("${local.management.port}")
    int managementPort;

    /**
     * A listener container stops for good on an Error (an OutOfMemoryError in a listener): then no alert is told while
     * the process looks alive. Liveness says so, and Kubernetes restarts the pod.
     */
    @Test
    void aStoppedListenerContainerTurnsLivenessDown() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest liveness = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + managementPort + "/actuator/health/liveness")).build();
        assertThat(http.send(liveness, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        var container = listeners.getListenerContainers().stream()
                .filter(org.springframework.kafka.listener.MessageListenerContainer::isAutoStartup).findFirst().orElseThrow();
        container.stop();
        try {
            var down = http.send(liveness, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("DOWN");
        } finally {
            container.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                http.send(liveness, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    @Test
    void aFiringAlertIsMailedToEveryoneTheDirectoryNamesAndEachDeliveryIsRecorded() throws Exception {
        Alert alert = alert("3723707", "WIN7,ERP01", "e-1");
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            publish(alert);

            await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(alert).size() == 2);
            List<DeliveryRecord> records = TopicTail.values(deliveries.await(2, Topics.DELIVERIES, Duration.ofSeconds(10)),
                    DeliveryRecord.class);
            assertThat(records).extracting(DeliveryRecord::status).containsOnly(DeliveryStatus.SENT);
            assertThat(records).extracting(DeliveryRecord::target).containsExactlyInAnyOrder(
                    "demo-owner@example.org", "Support stepping stone GmbH <support@stepping-stone.ch>");
            assertThat(records).allSatisfy(r -> assertThat(r.fingerprint()).isEqualTo(alert.fingerprint()));
        }
        MimeMessage mail = mailsTo(alert).get(0);
        assertThat(mail.getSubject()).isEqualTo("[Vigil] Backup WIN7,ERP01 of account 3723707 failed: snapshot failed");
        assertThat(mail.getHeader("X-Vigil-Delivery-Id")).isNotEmpty();

        assertThat(io.micrometer.core.instrument.Metrics.globalRegistry.find("vigil.notifier.ldap.lookup")
                .tag("outcome", "ok").timer()).isNotNull().satisfies(t -> assertThat(t.count()).isPositive());

        // The audit API answers what happened to this alert's notifications.
        await().atMost(Duration.ofSeconds(10)).until(() -> audit(alert).contains("support@stepping-stone.ch"));
        assertThat(audit(alert)).contains("\"status\":\"SENT\"").contains("demo-owner@example.org")
                .doesNotContain("FAILED");
    }

    @Test
    void theSameAlertHandledTwiceIsMailedOnce() throws Exception {
        Alert alert = alert("3723708", "Laptop", "e-2");
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            publish(alert);
            deliveries.await(3, Topics.DELIVERIES, Duration.ofSeconds(20));

            publish(alert); // as after a crash before the offset was committed

            // what was sent is not asked for again
            List<DeliveryRecord> records = TopicTail.values(deliveries.settle(Duration.ofSeconds(5)), DeliveryRecord.class);
            assertThat(records).extracting(DeliveryRecord::status).containsExactlyInAnyOrder(
                    DeliveryStatus.SENT, DeliveryStatus.SENT, DeliveryStatus.SENT);

            // and a request that was already on its way when it was sent (a crash between the two) is held back
            DeliveryRecord sent = records.get(0);
            dev.vigil.notifier.delivery.DeliveryRequest again = new dev.vigil.notifier.delivery.DeliveryRequest(
                    sent.deliveryId(), alert, "owners", sent.channel(), sent.target(), "de", List.of());
            kafka.send(CloudEventRecords.record(dev.vigil.kafka.InternalTopics.NOTIFICATIONS, again.targetKey(), again,
                    again.deliveryId(), "dev.vigil.notification", "test", Instant.now(), null)).get();
            DeliveryRecord held = TopicTail.values(deliveries.await(1, r -> r.value().contains("SUPPRESSED"),
                    Duration.ofSeconds(15)).stream().filter(r -> r.value().contains("SUPPRESSED")).toList(),
                    DeliveryRecord.class).get(0);
            assertThat(held.reason()).isEqualTo("already-sent");
        }
        // 3723708 has no mail of its own: its person's two addresses (in German), and the subscribed reseller
        assertThat(mailsTo(alert)).hasSize(3);
        assertThat(mailsTo(alert).stream().map(NotifierIntegrationTests::to)).containsExactlyInAnyOrder(
                "erika.muster@example.org", "e.muster@example.com", "support@stepping-stone.ch");
        MimeMessage mail = mailsTo(alert).stream().filter(m -> to(m).equals("erika.muster@example.org")).findFirst().orElseThrow();
        assertThat(mail.getSubject()).startsWith("[Vigil] Sicherung Laptop des Kontos 3723708 ist fehlgeschlagen");
    }

    @Autowired
    dev.vigil.notifier.directory.AccountSync accountSync;

    @Test
    void theDirectorysAccountSettingsArePublishedOnceAndAgainOnlyWhenTheyChange() throws Exception {
        try (TopicTail accounts = TopicTail.open(broker.getBrokersAsString(), Topics.ACCOUNTS)) {
            accountSync.sync();
            List<dev.vigil.model.AccountSettings> settings = TopicTail.values(accounts.await(3, Topics.ACCOUNTS,
                    Duration.ofSeconds(10)), dev.vigil.model.AccountSettings.class);
            assertThat(settings).extracting(dev.vigil.model.AccountSettings::account)
                    .contains("3723707", "3723708", "3723709");
            assertThat(settings).filteredOn(s -> s.account().equals("3723707")).singleElement()
                    .satisfies(s -> assertThat(s.quotaThresholdPercent()).isEqualTo(80.0))
                    .satisfies(s -> assertThat(s.createdAt()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z")))
                    .satisfies(s -> assertThat(s.active()).isTrue());
            assertThat(accountSync.sync()).as("nothing changed").isZero();
        }
    }

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @Test
    void aSilenceHoldsFiringNotificationsBackAndItsEndReleasesThem() throws Exception {
        Alert alert = alert("3723707", "silenced", "e-s1");
        // fired and told before the silence: its end must not tell it again
        Alert before = alert("3723707", "silenced-before", "e-s0");
        publish(before);
        await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(before).size() == 2);
        java.net.http.HttpResponse<String> created = api("POST", "/api/v1/silences", "{\"matchers\":{\"job\":\"~silenced.*\"},"
                + "\"endsAt\":\"" + Instant.now().plusSeconds(5) + "\",\"author\":\"ops\",\"comment\":\"storage maintenance\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            publish(alert);
            List<DeliveryRecord> held = TopicTail.values(deliveries.await(1, Topics.DELIVERIES, Duration.ofSeconds(10)),
                    DeliveryRecord.class);
            assertThat(held.get(0).status()).isEqualTo(DeliveryStatus.SUPPRESSED);
            assertThat(held.get(0).reason()).startsWith("silenced by ").endsWith("(ops)");
            assertThat(mailsTo(alert)).isEmpty();

            await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(alert).size() == 2);
            // the release handled only what the silence held back: nothing at all about the alert told before it
            assertThat(TopicTail.values(deliveries.settle(Duration.ofSeconds(3)), DeliveryRecord.class))
                    .filteredOn(r -> r.fingerprint().equals(before.fingerprint())).isEmpty();
        }
        assertThat(mailsTo(before)).hasSize(2);
    }

    @Test
    void aSilenceCreatedWithAnyAcceptHeaderIsAnsweredAsJsonWithItsId() throws Exception {
        for (String accept : List.of("application/xml", ";;;")) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                            + "/api/v1/silences")).header("Content-Type", "application/json").header("Accept", accept)
                    .header("Authorization", "Bearer " + TestServers.DEMO_WRITE_KEY)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"matchers\":{\"job\":\"accept-"
                            + accept.length() + "\"},\"endsAt\":\"" + Instant.now().plusSeconds(600) + "\",\"author\":\"ops\"}"));
            var created = java.net.http.HttpClient.newHttpClient().send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            // the silence is made: the answer says so, with its id, instead of a 406 after the fact
            assertThat(created.statusCode()).as(accept + ": " + created.body()).isEqualTo(201);
            assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(created.body()).contains("\"id\"");
        }
    }

    @Test
    void aResolvedNoticeIsNeverSwallowedByASilence() throws Exception {
        Alert firing = alert("3723707", "silenced-resolve", "e-s2");
        api("POST", "/api/v1/silences", "{\"matchers\":{\"job\":\"silenced-resolve\"},\"endsAt\":\""
                + Instant.now().plusSeconds(600) + "\",\"author\":\"ops\"}");
        publish(firing);
        Alert resolved = firing.resolve(Instant.parse("2026-11-21T22:00:00Z"), "Backup silenced-resolve of account 3723707 succeeded again", "e-s3");
        publish(resolved);

        await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(resolved).size() == 2);
        assertThat(mailsTo(resolved)).allSatisfy(m -> assertThat(m.getSubject()).startsWith("[Vigil] Resolved:"));
        assertThat(api("POST", "/api/v1/silences", "{\"matchers\":{},\"endsAt\":\"2030-01-01T00:00:00Z\",\"author\":\"x\"}")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void aSilenceThatCouldNotBeMatchedIsRefusedAndAlertsKeepFlowing() throws Exception {
        String until = Instant.now().plusSeconds(600).toString();
        for (String matchers : List.of("{\"account\":\"~(\"}", "{\"acount\":\"3723707\"}",
                "{\"job\":\"" + "x".repeat(1_001) + "\"}", "{\"job\":\"~(a{1000}){1000}\"}")) {
            var refused = api("POST", "/api/v1/silences", "{\"matchers\":" + matchers + ",\"endsAt\":\"" + until
                    + "\",\"author\":\"ops\"}");
            assertThat(refused.statusCode()).as(matchers).isEqualTo(400);
            assertThat(refused.body()).as(matchers).containsAnyOf("regular expression", "Unknown label", "1,000",
                    "too large");
        }
        // times every page and client can print
        for (String times : List.of("\"endsAt\":\"+999999999-12-31T23:59:59Z\"",
                "\"startsAt\":\"-999999999-01-01T00:00:00Z\",\"endsAt\":\"" + until + "\"")) {
            var refused = api("POST", "/api/v1/silences", "{\"matchers\":{\"job\":\"x\"}," + times
                    + ",\"author\":\"ops\"}");
            assertThat(refused.statusCode()).as(times).isEqualTo(400);
        }
        assertThat(api("POST", "/api/v1/silences", "{\"matchers\":{\"job\":\"x\"},\"endsAt\":\"" + until
                + "\",\"author\":\"ops\",\"comment\":\"" + "c".repeat(2_001) + "\"}").statusCode()).isEqualTo(400);

        // what an older version may have stored: it matches nothing and stops nothing
        dev.vigil.model.Silence broken = new dev.vigil.model.Silence("broken-pattern", Map.of("tenant", "demo", "account", "~("), Instant.now(),
                Instant.now().plusSeconds(600), "old", null, Instant.now());
        kafka.send(CloudEventRecords.record(Topics.SILENCES, broken.id(), broken, broken.id(), "dev.vigil.silence",
                "test", Instant.now(), null)).get();
        Thread.sleep(1_000);
        Alert alert = alert("3723707", "after-broken-silence", "e-bp");
        publish(alert);
        await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(alert).size() == 2);
    }

    private java.net.http.HttpResponse<String> api(String method, String path, String json) throws Exception {
        return api(method, path, json, TestServers.DEMO_WRITE_KEY);
    }

    /** A call of the notifier's API with {@code key} ({@code null}: without one). */
    private java.net.http.HttpResponse<String> api(String method, String path, String json, String key) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private String audit(Alert alert) throws Exception {
        return api("GET", "/api/v1/alerts/" + alert.fingerprint() + "/deliveries", null, TestServers.DEMO_READ_KEY).body();
    }

    @Test
    void everyApiNeedsAKeyAndAKeySeesAndSilencesOnlyItsOwnTenant() throws Exception {
        dev.vigil.kafka.test.TopicTail changes = dev.vigil.kafka.test.TopicTail.open(broker.getBrokersAsString(), Topics.CHANGES);
        var anonymous = api("GET", "/api/v1/silences", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        assertThat(api("GET", "/api/v1/silences", null, "not-a-key-at-all-0000").statusCode()).isEqualTo(401);
        String body = "{\"matchers\":{\"job\":\"scoped\"},\"endsAt\":\"" + Instant.now().plusSeconds(600)
                + "\",\"author\":\"ops\"}";
        assertThat(api("POST", "/api/v1/silences", body, TestServers.DEMO_READ_KEY).statusCode()).as("read key writes")
                .isEqualTo(403);
        assertThat(api("POST", "/api/v1/silences", body.replace("{\"job\"", "{\"tenant\":\"demo\",\"job\""),
                TestServers.OTHER_WRITE_KEY).statusCode()).as("another tenant's alerts").isEqualTo(403);

        var others = api("POST", "/api/v1/silences", body, TestServers.OTHER_WRITE_KEY);
        assertThat(others.statusCode()).isEqualTo(201);
        assertThat(others.body()).contains("\"tenant\":\"other\"");
        String othersId = dev.vigil.model.Json.mapper().readTree(others.body()).path("id").asString();
        var demos = api("POST", "/api/v1/silences", body, TestServers.DEMO_WRITE_KEY);
        assertThat(demos.body()).contains("\"tenant\":\"demo\"");

        await().atMost(Duration.ofSeconds(10)).until(() -> api("GET", "/api/v1/silences", null, TestServers.OPERATOR_KEY)
                .body().contains(othersId));
        assertThat(api("GET", "/api/v1/silences", null, TestServers.DEMO_READ_KEY).body()).doesNotContain(othersId)
                .contains("\"tenant\":\"demo\"");
        assertThat(api("DELETE", "/api/v1/silences/" + othersId, null, TestServers.DEMO_WRITE_KEY).statusCode())
                .isEqualTo(404);
        assertThat(api("DELETE", "/api/v1/silences/" + othersId, null, TestServers.OTHER_WRITE_KEY).statusCode())
                .isEqualTo(200);

        // who changed what: each created and expired silence is told on backup.changes with the key that did it
        List<dev.vigil.model.Change> told = dev.vigil.kafka.test.TopicTail.values(
                changes.await(3, Topics.CHANGES, Duration.ofSeconds(10)), dev.vigil.model.Change.class);
        changes.close();
        assertThat(told).extracting(dev.vigil.model.Change::kind, dev.vigil.model.Change::action,
                        dev.vigil.model.Change::actor, dev.vigil.model.Change::tenant)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("silence", "created", "other-write", "other"),
                        org.assertj.core.groups.Tuple.tuple("silence", "created", "demo-write", "demo"),
                        org.assertj.core.groups.Tuple.tuple("silence", "expired", "other-write", "other"));
        assertThat(told).allSatisfy(change -> assertThat(change.details()).containsEntry("matcher.job", "scoped"));
    }

    private void publish(Alert alert) throws Exception {
        kafka.send(CloudEventRecords.record(Topics.ALERTS, alert.fingerprint(), alert, alert.eventId(),
                "dev.vigil.alert.firing", "test", Instant.now(), null)).get();
    }

    private static List<MimeMessage> mailsTo(Alert alert) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(alert.job().job() + " ");
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static String to(MimeMessage message) {
        try {
            return ((jakarta.mail.internet.InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    dev.vigil.notifier.silence.OpenAlerts openAlerts;

    /**
     * A retry of a FIRING notification that arrives after the alert was resolved is not sent: the last word stands; and
     * that target is not told of the end of what it never heard of.
     */
    @Test
    void aFiringRetriedAfterItsResolvedIsNotSent() throws Exception {
        Alert firing = alert("3723707", "superseded-job", "e-sup-1");
        Alert resolved = new Alert(firing.fingerprint(), firing.rule(), firing.severity(), AlertStatus.RESOLVED,
                firing.job(), firing.source(), "Backup superseded-job succeeded again", Map.of(), firing.startsAt(),
                firing.startsAt().plusSeconds(60), "e-sup-2");
        kafka.send(CloudEventRecords.record(Topics.ALERTS, resolved.fingerprint(), resolved, resolved.eventId(),
                "dev.vigil.alert.resolved", "test", Instant.now(), null)).get();
        await().atMost(Duration.ofSeconds(10)).until(() -> openAlerts.superseded(firing));

        String target = "late-retry@example.org";
        dev.vigil.notifier.delivery.DeliveryRequest retry = new dev.vigil.notifier.delivery.DeliveryRequest(
                dev.vigil.notifier.delivery.DeliveryRequest.idFor(firing, "owners", "email", target), firing, "owners",
                "email", target, "en", List.of());
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            kafka.send(CloudEventRecords.record(dev.vigil.kafka.InternalTopics.NOTIFICATIONS, retry.deliveryId(), retry,
                    retry.deliveryId(), "dev.vigil.notification", "test", Instant.now(), null)).get();
            DeliveryRecord decided = TopicTail.values(deliveries.await(1, r -> r.key().equals(retry.deliveryId()),
                    Duration.ofSeconds(15)).stream().filter(r -> r.key().equals(retry.deliveryId())).toList(),
                    DeliveryRecord.class).get(0);
            assertThat(decided.status()).isEqualTo(DeliveryStatus.SUPPRESSED);
            assertThat(decided.reason()).isEqualTo("superseded");

            // its RESOLVED would tell this target of a failure it never heard of; another target, told, hears it
            String told = "told-before@example.org";
            for (String to : List.of(target, told)) {
                dev.vigil.notifier.delivery.DeliveryRequest over = new dev.vigil.notifier.delivery.DeliveryRequest(
                        dev.vigil.notifier.delivery.DeliveryRequest.idFor(resolved, "owners", "email", to), resolved,
                        "owners", "email", to, "en", List.of());
                kafka.send(CloudEventRecords.record(dev.vigil.kafka.InternalTopics.NOTIFICATIONS, over.deliveryId(), over,
                        over.deliveryId(), "dev.vigil.notification", "test", Instant.now(), null)).get();
                DeliveryRecord outcome = TopicTail.values(deliveries.await(1, r -> r.key().equals(over.deliveryId()),
                        Duration.ofSeconds(15)).stream().filter(r -> r.key().equals(over.deliveryId())).toList(),
                        DeliveryRecord.class).get(0);
                if (to.equals(target)) {
                    assertThat(outcome.status()).isEqualTo(DeliveryStatus.SUPPRESSED);
                    assertThat(outcome.reason()).isEqualTo("firing-never-told");
                } else {
                    assertThat(outcome.status()).isEqualTo(DeliveryStatus.SENT);
                }
            }
        }
        assertThat(Arrays.stream(smtp.getReceivedMessages()).map(NotifierIntegrationTests::to)).doesNotContain(target)
                .contains("told-before@example.org");
    }

    @Autowired
    dev.vigil.notifier.pipeline.AlertOwnership ownership;

    /**
     * Reminders, silence releases and group batches are done by the instance that owns an alert's partition: the
     * ownership must name the partition Kafka's producer writes the fingerprint to, and a lone instance owns all.
     */
    @Test
    void ownershipFollowsTheProducersPartitionsAndALoneInstanceOwnsAll() throws Exception {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            String fingerprint = "ownership-probe-" + i;
            // a tombstone: nothing reads it as an alert
            var written = kafka.send(Topics.ALERTS, fingerprint, null).get().getRecordMetadata();
            assertThat(ownership.partitionOf(fingerprint)).as(fingerprint).isEqualTo(written.partition());
            seen.add(written.partition());
            await().atMost(Duration.ofSeconds(10)).until(() -> ownership.owns(fingerprint));
            assertThat(ownership.ownsGroup("owners/" + fingerprint)).isTrue();
        }
        assertThat(seen).as("the probes spread over the partitions").hasSizeGreaterThan(1);
    }

    /**
     * An inhibition rule: while the account's quota alert fires, its failed backups are explained and held back; the
     * same failure on another account is not, and a RESOLVED notice always goes out.
     */
    @Test
    void aFiringQuotaAlertInhibitsTheAccountsFailedBackupsButNeverTheirResolvedNotice() throws Exception {
        // a tenant of its own, so the quota alert that stays firing explains nothing of the other tests
        JobKey storage = new JobKey("inhibit", "3723707", "inhibit-storage");
        Alert quota = new Alert(Alert.fingerprint(Rules.QUOTA, storage), Rules.QUOTA, Severity.WARNING,
                AlertStatus.FIRING, storage, Source.STONEY, "Account 3723707 uses 97% of its quota", Map.of(),
                Instant.now(), null, "e-inh-q");
        publish(quota);
        await().atMost(Duration.ofSeconds(10)).until(() -> openAlerts.firing().stream()
                .anyMatch(a -> a.fingerprint().equals(quota.fingerprint())));

        Alert explained = inTenant("inhibit", alert("3723707", "inhibit-explained", "e-inh-1"));
        Alert elsewhere = inTenant("inhibit", alert("3723708", "inhibit-elsewhere", "e-inh-2"));
        try (TopicTail deliveries = TopicTail.open(broker.getBrokersAsString(), Topics.DELIVERIES)) {
            publish(explained);
            publish(elsewhere);
            List<DeliveryRecord> records = TopicTail.values(deliveries.await(3, r -> r.value().contains("inhibit-"),
                    Duration.ofSeconds(15)), DeliveryRecord.class);
            assertThat(records).filteredOn(r -> r.job().job().equals("inhibit-explained")).singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(DeliveryStatus.SUPPRESSED))
                    .satisfies(r -> assertThat(r.reason()).startsWith("inhibited by quota inhibit/3723707/"));
            assertThat(records).filteredOn(r -> r.job().job().equals("inhibit-elsewhere"))
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(DeliveryStatus.SENT)).isNotEmpty();

            publish(explained.resolve(Instant.now(), "Backup inhibit-explained succeeded again", "e-inh-3"));
            await().atMost(Duration.ofSeconds(15)).until(() -> !mailsTo(explained).isEmpty());
        }
        assertThat(mailsTo(explained)).allSatisfy(m -> assertThat(m.getSubject()).doesNotContain("failed"));
    }

    private static Alert inTenant(String tenant, Alert alert) {
        JobKey key = new JobKey(tenant, alert.job().account(), alert.job().job());
        return new Alert(Alert.fingerprint(alert.rule(), key), alert.rule(), alert.severity(), alert.status(), key,
                alert.source(), alert.summary(), alert.details(), alert.startsAt(), alert.endsAt(), alert.eventId());
    }

    /**
     * Every handled transition becomes the alert's latest state on the compacted backup.alert-states, where a restarted
     * notifier finds the alerts that still fire even after backup.alerts dropped their records.
     */
    @Test
    void everyTransitionIsKeptAsTheAlertsLatestStateOnACompactedTopic() throws Exception {
        Alert firing = alert("3723709", "kept-state", "e-ks-1");
        try (TopicTail states = TopicTail.open(broker.getBrokersAsString(), dev.vigil.kafka.InternalTopics.ALERT_STATES)) {
            publish(firing);
            publish(firing.resolve(Instant.now(), "Backup kept-state succeeded again", "e-ks-2"));
            List<Alert> kept = TopicTail.values(states.await(2, r -> r.key().equals(firing.fingerprint()),
                    Duration.ofSeconds(20)).stream().filter(r -> r.key().equals(firing.fingerprint())).toList(), Alert.class);
            assertThat(kept).extracting(Alert::status).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> openAlerts.firing().stream()
                .noneMatch(a -> a.fingerprint().equals(firing.fingerprint())));
    }

    /** A transition is its own notification: a new failure whose event id repeats an old one gets a new delivery id. */
    @Test
    void aRecycledEventIdIsANewTransition() {
        Alert old = alert("3723707", "recycled", "xsibackup-esxi-07-4711-failed");
        Alert again = new Alert(old.fingerprint(), old.rule(), old.severity(), old.status(), old.job(), old.source(),
                old.summary(), old.details(), old.startsAt().plus(Duration.ofDays(40)), null, old.eventId());
        assertThat(dev.vigil.notifier.delivery.DeliveryRequest.idFor(again, "owners", "email", "a@example.org"))
                .isNotEqualTo(dev.vigil.notifier.delivery.DeliveryRequest.idFor(old, "owners", "email", "a@example.org"))
                .isEqualTo(dev.vigil.notifier.delivery.DeliveryRequest.idFor(again, "owners", "email", "a@example.org"));
    }

    private static Alert alert(String account, String job, String eventId) {
        JobKey key = new JobKey("demo", account, job);
        return new Alert(Alert.fingerprint(Rules.FAILED_BACKUP, key), Rules.FAILED_BACKUP, Severity.CRITICAL,
                AlertStatus.FIRING, key, Source.XSIBACKUP, "Backup " + job + " of account " + account + " failed: snapshot failed",
                Map.of("errorMessage", "snapshot failed"), Instant.now(), null, eventId);
    }
}
