package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.gateway.GatewayApplication;
import dev.vigil.kafka.test.TopicTail;
import dev.vigil.local.DemoDirectory;
import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import dev.vigil.notifier.NotifierApplication;
import dev.vigil.rules.RulesApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Every verdict right, on a real broker with the three services and compressed time (schedules of 20 s, start grace
 * and tolerance 5 s, maximum run time 20 s, an outage settle of 15 s): each scenario drives its own jobs through the
 * gateway's public endpoints and asserts the exact alert transitions of those jobs, so that a missing alert and a
 * false one fail alike. Two scenarios stop a service in the middle: the gateway (clients hold their hooks back) and
 * the rules (the heartbeats go on; the rules catch up).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerdictScenarioTests {

    static final String XSI = "scenario-xsibackup-token-01";
    static final String RETRO = "scenario-retrospect-token-1";
    static final String STONEY = "scenario-stoney-token-0001";
    static final String[] PINGS = {"a", "b", "c", "d", "e", "f", "g", "h"};

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private EmbeddedKafkaKraftBroker broker;
    private GreenMail smtp;
    private DemoDirectory directory;
    private Path rulesState;
    private ConfigurableApplicationContext gateway;
    private ConfigurableApplicationContext rules;
    private ConfigurableApplicationContext notifier;
    private TopicTail alerts;

    static String uuid(String ping) {
        return "5c0e0000-0000-4000-8000-00000000000" + ping;
    }

    @BeforeAll
    void start() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1"));
        broker.afterPropertiesSet();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        directory = DemoDirectory.start(0, DemoDirectory.DEMO_DATA);
        rulesState = Files.createTempDirectory("vigil-rules-scenarios");
        gateway = startGateway();
        rules = startRules();
        notifier = NotifierApplication.application().run("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0", "--management.server.port=0", "--spring.jmx.enabled=false",
                "--spring.mail.port=" + smtp.getSmtp().getPort(), "--spring.ldap.urls=" + directory.url());
        alerts = TopicTail.open(broker.getBrokersAsString(), Topics.ALERTS);
        awaitRulesRunning();
    }

    @AfterAll
    void stop() {
        if (alerts != null) {
            alerts.close();
        }
        for (ConfigurableApplicationContext service : new ConfigurableApplicationContext[] {notifier, rules, gateway}) {
            if (service != null && service.isActive()) {
                service.close();
            }
        }
        smtp.stop();
        directory.close();
        broker.destroy();
    }

    private ConfigurableApplicationContext startGateway() {
        List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0", "--management.server.port=0", "--spring.jmx.enabled=false"));
        int n = 0;
        for (String ping : PINGS) {
            args.add("--vigil.gateway.registrations[" + n + "].id=ping-" + ping);
            args.add("--vigil.gateway.registrations[" + n + "].token=" + uuid(ping));
            args.add("--vigil.gateway.registrations[" + n + "].source=healthchecks");
            args.add("--vigil.gateway.registrations[" + n + "].tenant=demo");
            args.add("--vigil.gateway.registrations[" + n + "].account=9100001");
            args.add("--vigil.gateway.registrations[" + n + "].job=ping-" + ping);
            if (!ping.equals("c")) {
                args.add("--vigil.gateway.registrations[" + n + "].schedule=20s");
            }
            n++;
        }
        for (String[] r : new String[][] {{"xsi", XSI, "xsibackup", "9100001"}, {"retro", RETRO, "retrospect", "9100001"},
                {"stoney", STONEY, "stoney", "*"}}) {
            args.add("--vigil.gateway.registrations[" + n + "].id=" + r[0]);
            args.add("--vigil.gateway.registrations[" + n + "].token=" + r[1]);
            args.add("--vigil.gateway.registrations[" + n + "].source=" + r[2]);
            args.add("--vigil.gateway.registrations[" + n + "].tenant=demo");
            args.add("--vigil.gateway.registrations[" + n + "].account=" + r[3]);
            n++;
        }
        return GatewayApplication.application().run(args.toArray(String[]::new));
    }

    private ConfigurableApplicationContext startRules() {
        return RulesApplication.application().run("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0", "--management.server.port=0", "--spring.jmx.enabled=false",
                "--spring.kafka.streams.state-dir=" + rulesState,
                "--vigil.rules.schedule.start-grace=5s", "--vigil.rules.schedule.tolerance=5s",
                "--vigil.rules.schedule.max-run-time=20s", "--vigil.rules.schedule.ingest-gap=3s",
                "--vigil.rules.schedule.outage-settle=15s", "--vigil.rules.failed-backup.consecutive-failures=2");
    }

    private void awaitRulesRunning() {
        String port = rules.getEnvironment().getProperty("local.management.port");
        await().atMost(Duration.ofSeconds(60)).until(() -> send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + "/actuator/health/readiness")).build()).statusCode() == 200);
    }

    // --- the scenarios ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void failedRunsCountAsRunsFlappingIsToldEachTimeAndARetriedHookCountsOnce() throws Exception {
        // a Retrospect run that reports a fatal error and then ends with an error is one failed run of the two allowed
        retro("StartScript", "Nightly", "", "/x/intv.reh");
        retro("FatalBackupError", "Nightly", "Device trouble", "-102", "trouble communicating");
        retro("EndScript", "Nightly", "1", "-102", "trouble communicating");
        // the same XSIBackup call three times (a retried hook), then a second run that fails
        for (int i = 0; i < 3; i++) {
            xsi("error", "7001", "12", "--backup-vms=FLAP", "FLAP: snapshot failed");
        }
        Thread.sleep(3_000);
        assertThat(transitions("demo/9100001/Nightly")).as("one failed run of two allowed").isEmpty();
        assertThat(transitions("demo/9100001/FLAP")).as("one run, sent three times").isEmpty();

        xsi("error", "7002", "12", "--backup-vms=FLAP", "FLAP: snapshot failed");
        awaitTransitions("demo/9100001/FLAP", "failed-backup FIRING");
        xsi("success", "7003", "10", "--backup-vms=FLAP", null);
        awaitTransitions("demo/9100001/FLAP", "failed-backup FIRING", "failed-backup RESOLVED");
        xsi("error", "7004", "12", "--backup-vms=FLAP", "FLAP: again");
        xsi("error", "7005", "12", "--backup-vms=FLAP", "FLAP: again");
        xsi("success", "7006", "10", "--backup-vms=FLAP", null);
        awaitTransitions("demo/9100001/FLAP", "failed-backup FIRING", "failed-backup RESOLVED",
                "failed-backup FIRING", "failed-backup RESOLVED");
        retro("StartScript", "Nightly", "", "/x/intv.reh");
        retro("EndScript", "Nightly", "1", "-102", "trouble communicating");
        awaitTransitions("demo/9100001/Nightly", "failed-backup FIRING");
    }

    @Test
    @Order(2)
    void quotaCrossesAndFallsBackUnderTheHysteresis() throws Exception {
        stoneyQuota("9100002", "10240 7800 900");   // 85 %
        awaitTransitions("demo/9100002/quota", "quota FIRING");
        stoneyQuota("9100002", "10240 7000 900");   // 77 %: inside the band
        Thread.sleep(2_000);
        assertThat(transitions("demo/9100002/quota")).containsExactly("quota FIRING");
        stoneyQuota("9100002", "10240 6000 900");   // 67 %
        awaitTransitions("demo/9100002/quota", "quota FIRING", "quota RESOLVED");
    }

    @Test
    @Order(3)
    void aSkippedRunIsToldOnceALateButInGraceRunIsNotAndAStartWithoutEndFails() throws Exception {
        ping("a", "");
        ping("d", "");
        ping("c", "/start");
        Thread.sleep(23_000);
        ping("d", "");                                  // 3 s late, within the 5 s grace
        awaitTransitions("demo/9100001/ping-c", "failed-backup FIRING");   // 20 s max run time
        awaitTransitions("demo/9100001/ping-a", "missed-schedule FIRING");  // due at 20 s + 5 s
        assertThat(transitions("demo/9100001/ping-d")).isEmpty();
        ping("a", "");
        ping("c", "/0");
        awaitTransitions("demo/9100001/ping-a", "missed-schedule FIRING", "missed-schedule RESOLVED");
        awaitTransitions("demo/9100001/ping-c", "failed-backup FIRING", "failed-backup RESOLVED");
        Thread.sleep(12_000); // d's next deadline is 20 s + 5 s after its second ping: quiet until then
        assertThat(transitions("demo/9100001/ping-d")).isEmpty();
    }

    @Test
    @Order(4)
    void aGatewayOutageNeitherRaisesAFalseAlarmNorHidesARealMiss() throws Exception {
        ping("e", "");
        ping("f", "");
        Thread.sleep(5_000);
        gateway.close();                                // Vigil is down; clients hold their pings back
        Thread.sleep(15_000);
        Instant ranDuringOutage = Instant.now();        // e runs now; f does not
        Thread.sleep(15_000);
        gateway = startGateway();
        ping("e", "?ts=" + ranDuringOutage.getEpochSecond());   // the held-back ping, with when it ran
        for (int i = 0; i < 4; i++) {                   // e goes on running every ~10 s
            Thread.sleep(10_000);
            ping("e", "");
        }
        awaitTransitions("demo/9100001/ping-f", "missed-schedule FIRING");
        Alert missed = lastAlert("demo/9100001/ping-f");
        assertThat(missed.summary()).contains("Vigil itself was not receiving hooks");
        assertThat(transitions("demo/9100001/ping-e")).as("e ran, on time, during the outage").isEmpty();
        ping("f", "");
        awaitTransitions("demo/9100001/ping-f", "missed-schedule FIRING", "missed-schedule RESOLVED");
    }

    @Test
    @Order(5)
    void aRulesRestartCatchesUpWithoutFalseAlarmsAndStillTellsARealMiss() throws Exception {
        ping("g", "");
        ping("h", "");
        Thread.sleep(3_000);
        rules.close();                                  // the rules are down; the gateway and its heartbeats go on
        for (int i = 0; i < 3; i++) {
            Thread.sleep(10_000);
            ping("g", "");                              // g keeps running; h does not
        }
        rules = startRules();
        awaitRulesRunning();
        awaitTransitions("demo/9100001/ping-h", "missed-schedule FIRING");
        ping("g", "");
        Thread.sleep(5_000);
        assertThat(transitions("demo/9100001/ping-g")).isEmpty();
        assertThat(lastAlert("demo/9100001/ping-h").summary()).doesNotContain("Vigil itself");
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** The transitions of one job so far, as "rule STATUS", in order. */
    private List<String> transitions(String job) {
        return alertsOf(alerts.settle(Duration.ofMillis(200)), job).stream()
                .map(a -> a.rule() + " " + a.status()).toList();
    }

    private Alert lastAlert(String job) {
        List<Alert> of = alertsOf(alerts.settle(Duration.ofMillis(200)), job);
        return of.get(of.size() - 1);
    }

    private static List<Alert> alertsOf(List<ConsumerRecord<String, String>> records, String job) {
        return records.stream().filter(r -> r.topic().equals(Topics.ALERTS))
                .map(r -> Json.read(r.value().getBytes(StandardCharsets.UTF_8), Alert.class))
                .filter(a -> a.job().asString().equals(job)).toList();
    }

    /** Waits up to 60 s for the job's transitions to be exactly these, then checks nothing else came. */
    private void awaitTransitions(String job, String... expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> transitions(job).size() >= expected.length);
        assertThat(transitions(job)).containsExactly(expected);
    }

    private int port() {
        return Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void ping(String ping, String suffix) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/ping/"
                + uuid(ping) + suffix)).build());
        assertThat(response.statusCode()).as("ping %s%s", ping, suffix).isEqualTo(200);
    }

    private void xsi(String outcome, String pid, String t, String cmd, String err) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                + "/hooks/xsibackup/" + XSI + "/" + outcome + "?" + EndToEndScenario.xsiQuery(pid, t, cmd, err))).build());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private void retro(String... argv) throws Exception {
        StringBuilder form = new StringBuilder("host=engine&platform=Linux");
        for (String arg : argv) {
            form.append("&arg=").append(java.net.URLEncoder.encode(arg, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                        + "/hooks/retrospect")).header("Authorization", "Bearer " + RETRO)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
        assertThat(response.statusCode()).as(String.join(" ", argv)).isEqualTo(200);
    }

    private void stoneyQuota(String account, String line) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                        + "/hooks/stoney/" + account + "/quota")).header("Authorization", "Bearer " + STONEY)
                .POST(HttpRequest.BodyPublishers.ofString(line)).build());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
