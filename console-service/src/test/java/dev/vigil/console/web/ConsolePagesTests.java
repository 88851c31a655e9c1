package dev.vigil.console.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.vigil.security.ApiKeyIntrospector;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console's pages against services that answer what a hostile caller put in a job (markup in names, hosts and
 * alerts), that answer errors, or that are down: values are escaped, the person's key goes with every call, a
 * service that is away is a page that says so (503), and a change without the CSRF token is refused.
 */
@SpringBootTest(classes = dev.vigil.console.ConsoleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=console", "management.server.port=0"})
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class ConsolePagesTests {

    static final String KEY = "pages-test-key-0000000001";
    static final WireMockServer services = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        services.start();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("vigil.console.rules-url", services::baseUrl);
        registry.add("vigil.console.notifier-url", services::baseUrl);
        registry.add("vigil.console.gateway-url", () -> "http://127.0.0.1:1");
        registry.add("vigil.console.session-secret", () -> "pages-test");
        registry.add("vigil.api.keys[0].id", () -> "pages");
        registry.add("vigil.api.keys[0].tenant", () -> "t");
        registry.add("vigil.api.keys[0].sha256", () -> ApiKeyIntrospector.sha256Hex(KEY));
    }

    @AfterAll
    static void stopServices() {
        services.stop();
    }

    @Value("${local.server.port}")
    int port;

    @Value("${local.management.port}")
    int managementPort;

    final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @BeforeEach
    void signIn() throws Exception {
        services.resetAll();
        String form = send("GET", "/login", null).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> signedIn = send("POST", "/login", "key=" + KEY + "&_csrf=" + enc(csrf.group(1)));
        assertThat(signedIn.statusCode()).isEqualTo(302);
    }

    @Test
    void markupFromAHookIsShownAsTextAndTheKeyGoesWithTheCall() throws Exception {
        String hostile = "<script>alert(1)</script>";
        services.stubFor(get(urlPathEqualTo("/api/v1/silences")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("[]")));
        services.stubFor(get(urlPathEqualTo("/api/v1/jobs")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("""
                        [{"job": "t/a\\"><img src=x onerror=alert(2)>/%s", "host": "\\"><svg onload=alert(3)>",
                          "lastEndAt": "2026-11-30T07:00:00Z", "lastOutcome": "FAILED", "consecutiveFailures": 1,
                          "openAlerts": ["failed-backup: %s"], "source": "XSIBACKUP", "graceSeconds": 3600}]
                        """.formatted(hostile, hostile))));

        HttpResponse<String> page = send("GET", "/jobs", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("<script>alert(1)").doesNotContain("<img src=x")
                .doesNotContain("<svg onload").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        services.verify(getRequestedFor(urlPathEqualTo("/api/v1/jobs")).withHeader("Authorization",
                matching("Bearer " + KEY)));
    }

    @Test
    void aServiceThatIsDownOrBrokenIsAPageThatSaysWhich() throws Exception {
        services.stubFor(get(urlPathEqualTo("/api/v1/silences")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"detail\": \"store closed\"}")));
        HttpResponse<String> broken = send("GET", "/jobs", null);
        assertThat(broken.statusCode()).isEqualTo(502);
        assertThat(broken.body()).contains("notifier").contains("store closed");

        HttpResponse<String> down = send("GET", "/registrations", null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("gateway").contains("cannot be reached");

        services.stubFor(get(urlPathEqualTo("/api/v1/silences")).willReturn(aResponse().withBody("not json at all")
                .withHeader("Content-Type", "application/json")));
        assertThat(send("GET", "/silences", null).statusCode()).isEqualTo(502);
    }

    @Test
    void aChangeWithoutTheCsrfTokenOrWithoutASignInIsRefused() throws Exception {
        assertThat(send("POST", "/silences", "account=a&endsAt=2030-01-01T00:00").statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/alerts")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login?next=%2Falerts"));
    }

    @Test
    void aRefusedSilenceIsTheFormAgainWithTheServicesReasonAndTheAddressSetsNoNotice() throws Exception {
        services.stubFor(get(urlPathEqualTo("/api/v1/silences")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("[]")));
        services.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/api/v1/silences"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"detail\": \"A silence needs at least one matcher, e.g. {\\\"account\\\": \\\"3723707\\\"}.\"}")));
        String form = send("GET", "/silences", null).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
        assertThat(csrf.find()).isTrue();

        HttpResponse<String> refused = send("POST", "/silences", "endsAt=2030-01-01T00:00&author=a&comment=keep+me&_csrf="
                + enc(csrf.group(1)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("A silence needs at least one matcher").contains("value=\"keep me\"");
        HttpResponse<String> forged = send("GET", "/silences?created=Your+session+expired&expired=call+us&error=leak", null);
        assertThat(forged.statusCode()).isEqualTo(200);
        assertThat(forged.body()).doesNotContain("Your session expired").doesNotContain("call us").doesNotContain("leak");
    }

    @Test
    void anUnknownPageOrJobIsAnHtmlPageThatSaysSo() throws Exception {
        HttpResponse<String> page = send("GET", "/job/not-base64-at-all!", null);
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("Not found").doesNotContain("Exception");
        HttpResponse<String> other = send("GET", "/job/" + new dev.vigil.model.JobKey("someone-else", "a", "j").urlId(), null);
        assertThat(other.statusCode()).isEqualTo(404);
        services.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/job")));
    }

    @Test
    void healthAndMetricsAnswerProbesAndScrapersWithoutASignIn() throws Exception {
        for (String path : java.util.List.of("/actuator/health/readiness", "/actuator/prometheus")) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
        }
    }

    private HttpResponse<String> send(String method, String path, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(form));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** What Tomcat refuses before Spring runs is answered as problem+json, on the service's port and Actuator's. */
    @Test
    void refusalsBeforeSpringRunsAreProblemsNeverHtml() throws Exception {
        for (int target : new int[] {port, managementPort}) {
            for (String request : java.util.List.of("GET /api/v1/jobs/%zz HTTP/1.1\r\n",
                    "GET /jobs HTTP/1.1\r\nX-Big: " + "a".repeat(70_000) + "\r\n",
                    "GET /jobs\u0001 HTTP/1.1\r\n")) {
                String answer;
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", target)) {
                    socket.getOutputStream().write((request + "Host: x\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    answer = new String(socket.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
                assertThat(answer).as(target + " " + request.substring(0, 20)).startsWith("HTTP/1.1 400")
                        .contains("application/problem+json").doesNotContainIgnoringCase("<html")
                        .contains("\"status\":400");
            }
        }
    }

    /**
     * A query that is not UTF-8 once decoded, or a stray '%', is the caller's error: a 400 on every port, and no
     * ERROR with a stack trace in the log for anyone to flood.
     */
    @Test
    void aQueryThatCannotBeDecodedIsTheCallersErrorNeverAnErrorLog(
            org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        for (int target : new int[] {port, managementPort}) {
            for (String path : java.util.List.of("/jobs?q=%C3%28", "/?x=%FF%FE", "/login?error=%", "/jobs?q=%zz",
                    "/actuator/health?x=%C0%80")) {
                String answer = rawGet(target, path);
                assertThat(answer).as(target + " " + path).doesNotStartWith("HTTP/1.1 5");
                if (answer.startsWith("HTTP/1.1 400")) {
                    assertThat(answer).as(target + " " + path).contains("application/problem+json", "\"status\":400");
                }
            }
        }
        for (String path : java.util.List.of("/login?error=%", "/login?next=%C3%28")) {
            assertThat(rawGet(port, path)).as(path).startsWith("HTTP/1.1 400").contains("undecodable-query");
        }
        assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("\tat org.apache");
    }

    private static String rawGet(int target, String path) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", target)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
