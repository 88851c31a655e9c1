package dev.vigil.gateway;

import dev.vigil.kafka.InternalTopics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.test.TopicTail;
import dev.vigil.model.BackupEvent;
import dev.vigil.model.Change;
import dev.vigil.model.Json;
import dev.vigil.model.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Registrations managed at runtime, on two gateway instances sharing one broker: what one instance creates, changes,
 * rotates or revokes holds on the other within seconds, per tenant, with every refusal as problem+json, and no token
 * on any topic.
 */
class RegistrationApiIntegrationTests extends GatewayIntegrationTest {

    private static final String OPERATOR = "operator-key-00000001";
    private static final String ACME_WRITE = "acme-write-key-000001";
    private static final String ACME_READ = "acme-read-key-0000001";
    private static final String OTHER_WRITE = "other-write-key-00001";
    private static ConfigurableApplicationContext second;
    private TopicTail changes;

    /** A second gateway, started beside the test's own, on the same broker. */
    private int secondPort() {
        if (second == null) {
            List<String> arguments = new ArrayList<>();
            for (String property : GatewayIntegrationTest.class.getAnnotation(SpringBootTest.class).properties()) {
                arguments.add("--" + property);
            }
            arguments.add("--server.port=0");
            arguments.add("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString());
            second = new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new));
        }
        return ((WebServerApplicationContext) second).getWebServer().getPort();
    }

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    @BeforeEach
    void openChanges() {
        changes = TopicTail.open(broker.getBrokersAsString(), Topics.CHANGES, InternalTopics.REGISTRATIONS);
    }

    @AfterEach
    void closeChanges() {
        changes.close();
    }

    private HttpResponse<String> api(int port, String method, String path, String key, String body,
                                     String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        return Json.read(response.body().getBytes(StandardCharsets.UTF_8), Map.class);
    }

    private static void eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.get()).as("within 10 s").isTrue();
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String XSI_QUERY = java.util.Base64.getEncoder().encodeToString(("PID=4711|t=60|cmd="
            + java.util.Base64.getEncoder().encodeToString("--backup-vms=WEB01".getBytes(StandardCharsets.UTF_8)) + "|err=")
            .getBytes(StandardCharsets.UTF_8));

    /**
     * Changes made at once on two instances: one id, one token, one revision is given once. Each create, change and
     * rotation is decided on a view that holds every other change committed before it ({@code RegistrationLog}).
     */
    @Test
    void changesAtOnceOnTwoInstancesNeverGiveAnIdATokenOrARevisionTwice() throws Exception {
        int a = port;
        int b = secondPort();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            // one id, twelve creates
            List<java.util.concurrent.Future<HttpResponse<String>>> creates = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int on = i % 2 == 0 ? a : b;
                creates.add(pool.submit(() -> api(on, "POST", "/api/v1/registrations", ACME_WRITE,
                        "{\"id\":\"raced\",\"source\":\"xsibackup\",\"account\":\"3723707\"}")));
            }
            List<String> tokens = new ArrayList<>();
            int conflicts = 0;
            for (var create : creates) {
                HttpResponse<String> response = create.get();
                if (response.statusCode() == 201) {
                    tokens.add((String) json(response).get("token"));
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
                    conflicts++;
                }
            }
            assertThat(tokens).hasSize(1);
            assertThat(conflicts).isEqualTo(11);
            String token = tokens.get(0);
            eventually(() -> status(a, "/hooks/xsibackup/" + token + "/error?" + XSI_QUERY) == 200
                    && status(b, "/hooks/xsibackup/" + token + "/error?" + XSI_QUERY) == 200);

            // one token of the caller's own, claimed by two tenants at once
            String own = "raced-own-token-" + Long.toHexString(System.nanoTime());
            List<java.util.concurrent.Future<HttpResponse<String>>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int on = i % 2 == 0 ? a : b;
                String key = i % 4 < 2 ? ACME_WRITE : OTHER_WRITE;
                String account = key.equals(ACME_WRITE) ? "3723707" : "9999999";
                int n = i;
                claims.add(pool.submit(() -> api(on, "POST", "/api/v1/registrations", key, "{\"id\":\"claim-" + n
                        + "\",\"source\":\"retrospect\",\"account\":\"" + account + "\",\"token\":\"" + own + "\"}")));
            }
            int claimed = 0;
            for (var claim : claims) {
                HttpResponse<String> response = claim.get();
                assertThat(response.statusCode()).as(response.body()).isIn(201, 409);
                claimed += response.statusCode() == 201 ? 1 : 0;
            }
            assertThat(claimed).as("one registration holds the token").isEqualTo(1);

            // one revision, six changes made on it
            List<java.util.concurrent.Future<HttpResponse<String>>> patches = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int on = i % 2 == 0 ? a : b;
                int n = i;
                patches.add(pool.submit(() -> api(on, "PATCH", "/api/v1/registrations/raced", ACME_WRITE,
                        "{\"reply\":\"R" + n + "\"}", "If-Match", "\"1\"")));
            }
            int applied = 0;
            for (var patch : patches) {
                HttpResponse<String> response = patch.get();
                assertThat(response.statusCode()).as(response.body()).isIn(200, 412);
                applied += response.statusCode() == 200 ? 1 : 0;
            }
            assertThat(applied).isEqualTo(1);
            HttpResponse<String> now = api(b, "GET", "/api/v1/registrations/raced", ACME_READ, null);
            assertThat(json(now)).containsEntry("revision", 2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void changesOfDifferentRegistrationsAtOnceOnTwoInstancesAllLand() throws Exception {
        // each instance's writes fence the other's: every change must still land within the publish timeout
        int a = port;
        int b = secondPort();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 3; round++) {
                List<java.util.concurrent.Future<HttpResponse<String>>> creates = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    int on = i % 2 == 0 ? a : b;
                    String id = "many-" + round + "-" + i;
                    creates.add(pool.submit(() -> api(on, "POST", "/api/v1/registrations", ACME_WRITE,
                            "{\"id\":\"" + id + "\",\"source\":\"xsibackup\",\"account\":\"3723707\"}")));
                }
                for (var create : creates) {
                    HttpResponse<String> response = create.get();
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                }
            }
            for (int i = 0; i < 16; i++) {
                assertThat(api(i % 2 == 0 ? b : a, "GET", "/api/v1/registrations/many-2-" + i, ACME_READ, null)
                        .statusCode()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noAcceptHeaderHidesAChangeMadeTheAnswerIsJsonWhateverItAsks() throws Exception {
        for (String accept : List.of(";;;", "text/html", "application/xml", "image/png;q=1, */*;q=0")) {
            String id = "accept-" + Integer.toHexString(accept.hashCode());
            HttpResponse<String> created = api(port, "POST", "/api/v1/registrations", ACME_WRITE,
                    "{\"id\":\"" + id + "\",\"source\":\"xsibackup\",\"account\":\"3723707\"}", "Accept", accept);
            assertThat(created.statusCode()).as(accept + ": " + created.body()).isEqualTo(201);
            assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            String token = (String) json(created).get("token");
            assertThat(token).startsWith("vgl_");

            HttpResponse<String> rotated = api(port, "POST", "/api/v1/registrations/" + id + "/rotate?grace=0s",
                    ACME_WRITE, null, "Accept", accept);
            assertThat(rotated.statusCode()).as(accept + ": " + rotated.body()).isEqualTo(200);
            String next = (String) json(rotated).get("token");
            assertThat(next).startsWith("vgl_").isNotEqualTo(token);
            eventually(() -> status(port, "/hooks/xsibackup/" + next + "/error?" + XSI_QUERY) == 200);

            HttpResponse<String> taken = api(port, "POST", "/api/v1/registrations", ACME_WRITE,
                    "{\"id\":\"" + id + "\",\"source\":\"xsibackup\",\"account\":\"3723707\"}", "Accept", accept);
            assertThat(taken.statusCode()).isEqualTo(409);
            assertThat(taken.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
    }

    @Test
    void aRegistrationCreatedOnOneInstanceIsUsedChangedRotatedAndRevokedOnTheOther() throws Exception {
        int a = port;
        int b = secondPort();

        HttpResponse<String> created = api(a, "POST", "/api/v1/registrations", ACME_WRITE,
                "{\"id\":\"esxi-runtime\",\"source\":\"xsibackup\",\"account\":\"3723707\",\"reply\":\"FINE\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> body = json(created);
        String token = (String) body.get("token");
        assertThat(token).startsWith("vgl_").hasSizeGreaterThan(30);
        assertThat(body).containsEntry("tenant", "acme").containsEntry("origin", "api");
        assertThat(((Map<String, String>) body.get("setup")).get("xsibackup"))
                .contains("/hooks/xsibackup/" + token + "/error|FINE");
        assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");

        // used on the other instance
        eventually(() -> status(b, "/hooks/xsibackup/" + token + "/error?" + XSI_QUERY) == 200);
        HttpResponse<String> hook = get("/hooks/xsibackup/" + token + "/error?" + XSI_QUERY);
        assertThat(hook.body()).isEqualTo("FINE");
        List<ConsumerRecord<String, String>> events = tail.await(2, Topics.EVENTS, Duration.ofSeconds(10));
        assertThat(events).isNotEmpty();
        assertThat(TopicTail.value(events.get(0), BackupEvent.class).job().asString()).isEqualTo("acme/3723707/WEB01");

        // changed on the other instance, seen here; a stale If-Match is refused
        HttpResponse<String> patched = api(b, "PATCH", "/api/v1/registrations/esxi-runtime", ACME_WRITE,
                "{\"reply\":\"BBKING\"}", "If-Match", "\"1\"");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched)).containsEntry("reply", "BBKING").containsEntry("revision", 2);
        assertThat(api(a, "PATCH", "/api/v1/registrations/esxi-runtime", ACME_WRITE, "{\"reply\":\"X\"}",
                "If-Match", "\"1\"").statusCode()).isEqualTo(412);
        eventually(() -> {
            try {
                return "BBKING".equals(get("/hooks/xsibackup/" + token + "/success?" + XSI_QUERY).body());
            } catch (Exception e) {
                return false;
            }
        });

        // rotated: both tokens work during the grace period, on both instances
        HttpResponse<String> rotated = api(b, "POST", "/api/v1/registrations/esxi-runtime/rotate?grace=1h", ACME_WRITE, null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String fresh = (String) json(rotated).get("token");
        assertThat(fresh).isNotEqualTo(token);
        assertThat(json(rotated).get("previousTokenValidUntil")).isNotNull();
        eventually(() -> status(a, "/hooks/xsibackup/" + fresh + "/error?" + XSI_QUERY) == 200);
        assertThat(status(a, "/hooks/xsibackup/" + token + "/error?" + XSI_QUERY)).isEqualTo(200);
        assertThat(status(b, "/hooks/xsibackup/" + token + "/error?" + XSI_QUERY)).isEqualTo(200);

        // rotated again without grace: the first token stops at once, everywhere
        String third = (String) json(api(a, "POST", "/api/v1/registrations/esxi-runtime/rotate?grace=0s", ACME_WRITE,
                null)).get("token");
        eventually(() -> status(b, "/hooks/xsibackup/" + fresh + "/error?" + XSI_QUERY) == 401
                && status(b, "/hooks/xsibackup/" + token + "/error?" + XSI_QUERY) == 401
                && status(b, "/hooks/xsibackup/" + third + "/error?" + XSI_QUERY) == 200);

        // revoked on one instance: refused on both within seconds
        assertThat(api(b, "DELETE", "/api/v1/registrations/esxi-runtime", ACME_WRITE, null).statusCode()).isEqualTo(204);
        eventually(() -> status(a, "/hooks/xsibackup/" + third + "/error?" + XSI_QUERY) == 401
                && status(b, "/hooks/xsibackup/" + third + "/error?" + XSI_QUERY) == 401);
        assertThat(api(a, "GET", "/api/v1/registrations/esxi-runtime", ACME_READ, null).statusCode()).isEqualTo(404);
        // a revoked registration's token and id stay taken: another tenant cannot claim what a host still sends
        assertThat(api(b, "POST", "/api/v1/registrations", OTHER_WRITE, "{\"source\":\"xsibackup\",\"account\":\"9\","
                + "\"token\":\"" + third + "\"}").statusCode()).isEqualTo(409);
        assertThat(api(b, "POST", "/api/v1/registrations", ACME_WRITE, "{\"id\":\"esxi-runtime\",\"source\":\"xsibackup\","
                + "\"account\":\"9\"}").statusCode()).isEqualTo(409);

        // who changed what is told; no token is on any topic
        List<ConsumerRecord<String, String>> told = changes.await(5, Topics.CHANGES, Duration.ofSeconds(10));
        assertThat(TopicTail.values(told, Change.class)).extracting(Change::action)
                .containsSubsequence("created", "changed", "rotated", "rotated", "revoked");
        assertThat(TopicTail.values(told, Change.class)).allSatisfy(change -> {
            assertThat(change.actor()).isEqualTo("acme-write");
            assertThat(change.tenant()).isEqualTo("acme");
        });
        List<ConsumerRecord<String, String>> everything = new ArrayList<>(changes.settle(Duration.ofMillis(500)));
        everything.addAll(tail.settle(Duration.ofMillis(500)));
        for (ConsumerRecord<String, String> record : everything) {
            String all = record.key() + " " + record.value() + " " + Arrays.toString(record.headers().toArray());
            assertThat(all).doesNotContain(token).doesNotContain(fresh).doesNotContain(third);
        }
    }

    @Test
    void everyRefusalIsAProblemAndNoKeySeesAnotherTenant() throws Exception {
        HttpResponse<String> none = api(port, "GET", "/api/v1/registrations", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(api(port, "GET", "/api/v1/registrations", "wrong-key-0000000000", null).statusCode()).isEqualTo(401);
        HttpResponse<String> readOnly = api(port, "POST", "/api/v1/registrations", ACME_READ,
                "{\"source\":\"retrospect\",\"account\":\"1\"}");
        assertThat(readOnly.statusCode()).isEqualTo(403);
        assertThat(readOnly.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));

        HttpResponse<String> created = api(port, "POST", "/api/v1/registrations", OTHER_WRITE,
                "{\"id\":\"other-retro\",\"source\":\"retrospect\",\"account\":\"42\",\"zone\":\"Europe/Berlin\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created)).containsEntry("tenant", "other");
        // another tenant's key: not found, not listed, cannot change, revoke or create for it
        assertThat(api(port, "GET", "/api/v1/registrations/other-retro", ACME_READ, null).statusCode()).isEqualTo(404);
        assertThat(api(port, "DELETE", "/api/v1/registrations/other-retro", ACME_WRITE, null).statusCode()).isEqualTo(404);
        assertThat(api(port, "POST", "/api/v1/registrations/other-retro/rotate", ACME_WRITE, null).statusCode()).isEqualTo(404);
        assertThat(api(port, "PATCH", "/api/v1/registrations/other-retro", ACME_WRITE, "{\"job\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(api(port, "POST", "/api/v1/registrations", ACME_WRITE,
                "{\"tenant\":\"other\",\"source\":\"retrospect\",\"account\":\"1\"}").statusCode()).isEqualTo(403);
        String acmeList = api(port, "GET", "/api/v1/registrations", ACME_READ, null).body();
        assertThat(acmeList).contains("esxi-07", "\"configuration\"").doesNotContain("other-retro")
                .doesNotContain("xsi-token-for-tests-0001").doesNotContain("stoney-backup");
        assertThat(api(port, "GET", "/api/v1/registrations", OPERATOR, null).body()).contains("other-retro", "esxi-07",
                "stoney-backup");

        // configuration registrations are read-only; ids and tokens are unique
        assertThat(api(port, "PATCH", "/api/v1/registrations/esxi-07", ACME_WRITE, "{\"reply\":\"X\"}").statusCode()).isEqualTo(409);
        assertThat(api(port, "POST", "/api/v1/registrations", ACME_WRITE,
                "{\"id\":\"esxi-07\",\"source\":\"xsibackup\",\"account\":\"1\"}").statusCode()).isEqualTo(409);
        assertThat(api(port, "POST", "/api/v1/registrations", ACME_WRITE,
                "{\"source\":\"retrospect\",\"account\":\"1\",\"token\":\"retro-token-for-tests-01\"}").statusCode()).isEqualTo(409);

        // invalid fields: one clear sentence each
        for (String invalid : List.of("{\"source\":\"tape\",\"account\":\"1\"}", "{\"account\":\"1\"}",
                "{\"source\":\"retrospect\",\"account\":\"a/b\"}", "{\"source\":\"retrospect\",\"account\":\"1\",\"zone\":\"Mars/Base\"}",
                "{\"source\":\"retrospect\",\"account\":\"1\",\"schedule\":\"every tuesday\"}",
                "{\"source\":\"retrospect\",\"account\":\"1\",\"rateLimit\":-1}",
                "{\"source\":\"retrospect\",\"account\":\"1\",\"rateLimit\":1e-300}",
                "{\"source\":\"retrospect\",\"account\":\"1\",\"schedule\":\"99 99 * * *\"}",
                "{\"source\":\"healthchecks\",\"account\":\"1\",\"token\":\"NOT-A-UUID-0000000000\"}",
                "{\"source\":\"retrospect\",\"account\":\"1\",\"pingKey\":true}",
                "{\"source\":\"retrospect\",\"account\":\"1\",\"id\":\"../../etc\"}",
                "{\"source\":\"retrospect\",\"account\":\"1\",\"job\":\"a\\nb\"}",
                "[1,2]", "not json", "")) {
            HttpResponse<String> refused = api(port, "POST", "/api/v1/registrations", ACME_WRITE, invalid);
            assertThat(refused.statusCode()).as(invalid + " → " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).doesNotContain("Registration[").doesNotContain("6 fields").doesNotContain("dev.vigil");
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        }
        assertThat(api(port, "PATCH", "/api/v1/registrations/other-retro", OTHER_WRITE, "{\"source\":\"generic\"}")
                .statusCode()).isEqualTo(400);
        assertThat(api(port, "POST", "/api/v1/registrations/other-retro/rotate?grace=99d", OTHER_WRITE, null)
                .statusCode()).isEqualTo(400);
    }

    /**
     * A rate below one call a second admits a host's first call (XSIBackup does not send again), then refuses with a
     * {@code Retry-After} as long as the wait for the next: 20 s at 0.05 calls a second.
     */
    @Test
    void aRateBelowOneASecondAdmitsTheFirstCallAndSaysHowLongToWait() throws Exception {
        HttpResponse<String> created = api(port, "POST", "/api/v1/registrations", ACME_WRITE,
                "{\"id\":\"slow-rate\",\"source\":\"xsibackup\",\"account\":\"3723707\",\"rateLimit\":0.05}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = (String) json(created).get("token");
        HttpResponse<String> first = get("/hooks/xsibackup/" + token + "/error?" + XSI_QUERY);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> second = get("/hooks/xsibackup/" + token + "/error?" + XSI_QUERY);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                wait -> assertThat(wait).isBetween(15L, 20L));
    }

    /** A fleet pinging one key at the same minute is many checks: each within its own rate, none refused for another. */
    @Test
    void eachCheckOfAPingKeyHasARateOfItsOwn() throws Exception {
        HttpResponse<String> created = api(port, "POST", "/api/v1/registrations", ACME_WRITE,
                "{\"id\":\"fleet-pings\",\"source\":\"healthchecks\",\"account\":\"3723707\",\"pingKey\":true,"
                        + "\"rateLimit\":1,\"slugs\":[\"host-a\",\"host-b\",\"host-c\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = (String) json(created).get("token");
        List<Integer> hostA = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hostA.add(get("/ping/" + key + "/host-a").statusCode());
        }
        assertThat(hostA).as("a burst of twice the rate, then refused").startsWith(200, 200).contains(429);
        HttpResponse<String> refused = get("/ping/" + key + "/host-a");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(get("/ping/" + key + "/host-b").statusCode()).as("another check of the key").isEqualTo(200);
        assertThat(get("/ping/" + key + "/host-c").statusCode()).isEqualTo(200);
    }

    @Test
    void aPingKeyMakesChecksByItsSlugsWhenAskedTo() throws Exception {
        HttpResponse<String> created = api(port, "POST", "/api/v1/registrations", ACME_WRITE,
                "{\"id\":\"acme-pings\",\"source\":\"healthchecks\",\"account\":\"3723707\",\"pingKey\":true,"
                        + "\"autoProvision\":true,\"slugs\":[\"known-check\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = (String) json(created).get("token");

        assertThat(get("/ping/" + key + "/known-check").statusCode()).isEqualTo(200);
        HttpResponse<String> unknown = get("/ping/" + key + "/db-backup");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("not found");
        HttpResponse<String> made = get("/ping/" + key + "/db-backup/start?create=1");
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(made.body()).isEqualTo("Created");
        assertThat(get("/ping/" + key + "/db-backup?create=1").statusCode()).isEqualTo(200);
        assertThat(get("/ping/" + key + "/db-backup/fail").statusCode()).isEqualTo(200);
        // borgmatic with ping_url …/new-check?create=1 appends its state after the query: a new check, started
        assertThat(get("/ping/" + key + "/new-check?create=1/start").statusCode()).isEqualTo(201);
        assertThat(get("/ping/" + key + "/new-check?create=1/fail").statusCode()).isEqualTo(200);
        assertThat(get("/ping/" + key + "/DB-Backup").body()).isEqualTo("invalid url format");
        assertThat(get("/ping/not-a-known-ping-key-000/db-backup?create=1").statusCode()).isEqualTo(404);

        List<BackupEvent> events = TopicTail.values(tail.await(6, Topics.EVENTS, Duration.ofSeconds(10)), BackupEvent.class);
        assertThat(events).extracting(e -> e.job().asString()).containsExactly("acme/3723707/known-check",
                "acme/3723707/db-backup", "acme/3723707/db-backup", "acme/3723707/db-backup",
                "acme/3723707/new-check", "acme/3723707/new-check");
        assertThat(events.subList(4, 6)).extracting(e -> e.type() + " " + e.outcome())
                .containsExactly("BACKUP_STARTED NONE", "BACKUP_FINISHED FAILED");
        // a check without a schedule of its own is expected once a day, as healthchecks expects a new check
        assertThat(events.get(4).attributes()).containsEntry("schedule.kind", "period")
                .containsEntry("schedule.period", "1d");
        assertThat(events).allSatisfy(e -> assertThat(e.raw()).doesNotContain(key));
        assertThat(json(api(port, "GET", "/api/v1/registrations/acme-pings", ACME_READ, null)).get("slugs"))
                .isEqualTo(List.of("known-check", "db-backup", "new-check"));

        // without auto-provisioning, ?create=1 makes nothing
        api(port, "PATCH", "/api/v1/registrations/acme-pings", ACME_WRITE, "{\"autoProvision\":false}");
        assertThat(get("/ping/" + key + "/another?create=1").statusCode()).isEqualTo(404);
        // revoking the key ends its checks too
        assertThat(api(port, "DELETE", "/api/v1/registrations/acme-pings", ACME_WRITE, null).statusCode()).isEqualTo(204);
        assertThat(get("/ping/" + key + "/db-backup").statusCode()).isEqualTo(404);
    }

    @Test
    void aRuntimeTokenInsideWhatACallerSendsIsMasked() throws Exception {
        HttpResponse<String> created = api(port, "POST", "/api/v1/registrations", ACME_WRITE,
                "{\"source\":\"xsibackup\",\"account\":\"3723707\"}");
        String token = (String) json(created).get("token");
        String cmd = "--backup-vms=DB01 --on-success=\"https://vigil.example.org/hooks/xsibackup/" + token
                + "/success|OK\" --note " + token;
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        String query = b64.encodeToString(("PID=99|t=5|cmd=" + b64.encodeToString(cmd.getBytes(StandardCharsets.UTF_8))
                + "|err=" + b64.encodeToString(("failed; token " + token).getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(get("/hooks/xsibackup/" + token + "/error?" + query).statusCode()).isEqualTo(200);
        BackupEvent event = TopicTail.value(tail.await(1, Topics.EVENTS, Duration.ofSeconds(10)).get(0), BackupEvent.class);
        String everything = Json.mapper().writeValueAsString(event) + new String(java.util.Base64.getDecoder()
                .decode(event.raw()), StandardCharsets.UTF_8);
        assertThat(everything).doesNotContain(token);
        assertThat(event.error().message()).contains("***");
    }
}
