package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.console.ConsoleApplication;
import dev.vigil.gateway.GatewayApplication;
import dev.vigil.local.DemoDirectory;
import dev.vigil.notifier.NotifierApplication;
import dev.vigil.rules.RulesApplication;
import dev.vigil.security.ApiKeyIntrospector;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.net.ServerSocket;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The console as a person uses it, in headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium) against the four services on the in-process broker, the demo directory and GreenMail: sign in
 * with a tenant key, see the failing job first, open it and see its run chart drawn with its points, silence it,
 * see the next failure suppressed in the audit, create a registration and get the XSIBackup line, read a badge, and
 * see nothing of another tenant. The failure mails (English and German) are opened in the same browser.
 * Screenshots go to {@code target/screenshots/}. Without a Chromium on the machine the test is skipped, unless
 * {@code VIGIL_REQUIRE_BROWSER} is set (as {@code .ci/run} does), where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTests {

    static final String TOKEN_EN = "console-xsi-token-en-0001";
    static final String TOKEN_DE = "console-xsi-token-de-0001";
    static final String TOKEN_OTHER = "console-xsi-token-other-01";
    static final String DEMO_KEY = "console-demo-write-key-0001";
    static final String DEMO_READ_KEY = "console-demo-read-key-00001";
    static final String OTHER_KEY = "console-other-write-key-001";
    static final Path SHOTS = Path.of("target", "screenshots");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private EmbeddedKafkaKraftBroker broker;
    private GreenMail smtp;
    private DemoDirectory directory;
    private WebDriver browser;
    private int gatewayPort;
    private String console;

    @BeforeAll
    void start() throws Exception {
        boolean present = new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute();
        if (System.getenv("VIGIL_REQUIRE_BROWSER") == null) {
            Assumptions.assumeTrue(present, "no chromium and chromium-driver on this machine");
        }
        Files.createDirectories(SHOTS);
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(java.util.Map.of(
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
        broker.afterPropertiesSet();
        String kafka = "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        directory = DemoDirectory.start(0, DemoDirectory.DEMO_DATA);
        int consolePort = freePort();
        console = "http://127.0.0.1:" + consolePort;

        ConfigurableApplicationContext gateway = GatewayApplication.application().run(with(kafka, "--server.port=0",
                "--management.server.port=0", "--spring.jmx.enabled=false",
                "--vigil.gateway.registrations[0].id=esxi-en", "--vigil.gateway.registrations[0].token=" + TOKEN_EN,
                "--vigil.gateway.registrations[0].source=xsibackup", "--vigil.gateway.registrations[0].tenant=demo",
                "--vigil.gateway.registrations[0].account=3723707",
                "--vigil.gateway.registrations[1].id=esxi-de", "--vigil.gateway.registrations[1].token=" + TOKEN_DE,
                "--vigil.gateway.registrations[1].source=xsibackup", "--vigil.gateway.registrations[1].tenant=demo",
                "--vigil.gateway.registrations[1].account=3723708",
                "--vigil.gateway.registrations[2].id=esxi-other", "--vigil.gateway.registrations[2].token=" + TOKEN_OTHER,
                "--vigil.gateway.registrations[2].source=xsibackup", "--vigil.gateway.registrations[2].tenant=other",
                "--vigil.gateway.registrations[2].account=9000001"));
        services.add(gateway);
        gatewayPort = port(gateway);
        ConfigurableApplicationContext rules = RulesApplication.application().run(with(kafka, "--server.port=0",
                "--management.server.port=0", "--spring.jmx.enabled=false",
                "--spring.kafka.streams.state-dir=" + Files.createTempDirectory("vigil-console-rules")));
        services.add(rules);
        ConfigurableApplicationContext notifier = NotifierApplication.application().run(with(kafka, "--server.port=0",
                "--management.server.port=0", "--spring.jmx.enabled=false",
                "--spring.mail.port=" + smtp.getSmtp().getPort(), "--spring.ldap.urls=" + directory.url(),
                "--vigil.notifier.mail.console-url=" + console));
        services.add(notifier);
        services.add(ConsoleApplication.application().run(with(kafka, "--server.port=" + consolePort,
                "--management.server.port=0", "--spring.jmx.enabled=false",
                "--vigil.console.rules-url=http://127.0.0.1:" + port(rules),
                "--vigil.console.notifier-url=http://127.0.0.1:" + port(notifier),
                "--vigil.console.gateway-url=http://127.0.0.1:" + gatewayPort,
                "--vigil.console.session-secret=console-browser-test-secret",
                "--vigil.console.badge-api-key=" + DEMO_READ_KEY)));

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100",
                "--lang=en-US");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    /** Every service gets the same keys: demo (write and read) and other (write). */
    private static String[] with(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of(
                "--vigil.api.keys[0].id=demo-writer", "--vigil.api.keys[0].tenant=demo", "--vigil.api.keys[0].access=write",
                "--vigil.api.keys[0].sha256=" + ApiKeyIntrospector.sha256Hex(DEMO_KEY),
                "--vigil.api.keys[1].id=demo-reader", "--vigil.api.keys[1].tenant=demo",
                "--vigil.api.keys[1].sha256=" + ApiKeyIntrospector.sha256Hex(DEMO_READ_KEY),
                "--vigil.api.keys[2].id=other-writer", "--vigil.api.keys[2].tenant=other", "--vigil.api.keys[2].access=write",
                "--vigil.api.keys[2].sha256=" + ApiKeyIntrospector.sha256Hex(OTHER_KEY)));
        return all.toArray(String[]::new);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (directory != null) {
            directory.close();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    @Order(1)
    void aFailingJobIsFirstItsChartIsDrawnAndASilenceFromItsPageHoldsBackTheNextFailure() throws Exception {
        for (int run = 1; run <= 6; run++) {
            hook(TOKEN_EN, "success", xsi("10" + run, Integer.toString(800 + 10 * run), "--backup-vms=WIN7,ERP01", null));
        }
        hook(TOKEN_EN, "error", xsi("201", "845", "--backup-vms=WIN7,ERP01", "ERP01: snapshot creation failed\nWIN7: 0 errors"));
        hook(TOKEN_OTHER, "success", xsi("301", "60", "--backup-vms=OTHERVM", null));
        await().atMost(Duration.ofSeconds(90)).until(() -> mails("WIN7,ERP01 of account 3723707 failed").size() == 2);

        browser.get(console + "/jobs");
        assertThat(browser.getCurrentUrl()).contains("/login");
        signIn(DEMO_KEY);
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.jobs")));
        WebElement first = browser.findElement(By.cssSelector("table.jobs tbody tr"));
        assertThat(first.getText()).contains("WIN7,ERP01").contains("failing").contains("failed-backup");
        assertThat(browser.findElement(By.cssSelector(".count.failing")).getText()).contains("1");
        assertThat(browser.getPageSource()).doesNotContain("OTHERVM");
        shot("1-jobs");

        first.findElement(By.linkText("WIN7,ERP01")).click();
        wait(20).until(driver -> ((JavascriptExecutor) driver).executeScript(
                "return window.vigilCharts && window.vigilCharts.length > 0"));
        Number points = (Number) ((JavascriptExecutor) browser).executeScript(
                "return window.vigilCharts.filter(c => c.id === 'chart-duration')[0].points");
        assertThat(points.intValue()).isEqualTo(6);
        WebElement canvas = browser.findElement(By.cssSelector("#chart-duration canvas"));
        assertThat(canvas.getSize().getWidth()).isGreaterThan(200);
        assertThat(browser.findElement(By.id("chart-duration")).getAttribute("aria-label"))
                .contains("6 runs").contains("usual");
        assertThat(browser.findElement(By.cssSelector("dl.facts")).getText())
                .contains("esxi-en").contains("xsibackup").contains("Failed runs in a row");
        assertThat(browser.findElement(By.id("audit-h")).isDisplayed()).isTrue();
        assertThat(browser.getPageSource()).contains("demo-owner@example.org").contains("ERP01: snapshot creation failed");
        // each event's raw input, read from backup.events where the rules say it is
        List<WebElement> raw = browser.findElements(By.cssSelector("details.raw pre"));
        assertThat(raw).hasSize(7);
        browser.findElement(By.cssSelector("details.raw summary")).click();
        String firstRaw = browser.findElement(By.cssSelector("details.raw pre")).getText();
        assertThat(new String(java.util.Base64.getDecoder().decode(firstRaw.strip()), StandardCharsets.UTF_8))
                .startsWith("PID=201|t=845|cmd=");
        shot("2-job");
        String jobPage = browser.getCurrentUrl();

        // the badge answers without a sign-in
        String badge = browser.findElement(By.cssSelector("section[aria-labelledby=badge-h] img")).getAttribute("src");
        HttpResponse<String> svg = http.send(HttpRequest.newBuilder(URI.create(badge)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(svg.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("image/svg+xml"));
        assertThat(svg.body()).contains("WIN7,ERP01: failing");
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(badge.replaceAll("/badge/[0-9a-f]{4}",
                "/badge/0000"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(404);

        browser.findElement(By.linkText("Silence this job")).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("m-account")));
        assertThat(browser.findElement(By.id("m-account")).getAttribute("value")).isEqualTo("3723707");
        assertThat(browser.findElement(By.id("m-job")).getAttribute("value")).isEqualTo("WIN7,ERP01");
        browser.findElement(By.id("comment")).sendKeys("moving the datastore to SAN-2");
        shot("3-silence-form");
        browser.findElement(By.cssSelector("form.grid button[type=submit]")).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("p.ok")));
        assertThat(browser.findElement(By.cssSelector("p.ok")).getText()).contains("created");
        assertThat(browser.getPageSource()).contains("moving the datastore to SAN-2");
        shot("4-silences");

        browser.get(console + "/jobs");
        assertThat(browser.findElement(By.cssSelector("table.jobs tbody tr")).getText()).contains("paused");

        // the job recovers (a resolved notice always goes out) and fails again: held back by the silence
        hook(TOKEN_EN, "success", xsi("202", "830", "--backup-vms=WIN7,ERP01", null));
        await().atMost(Duration.ofSeconds(60)).until(() -> mails("Resolved: Backup WIN7,ERP01").size() == 2);
        hook(TOKEN_EN, "error", xsi("203", "12", "--backup-vms=WIN7,ERP01", "ERP01: datastore full"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            browser.get(jobPage);
            return browser.findElements(By.cssSelector(".decision.suppressed")).size() > 0;
        });
        assertThat(browser.getPageSource()).contains("silence");
        shot("5-job-suppressed");
        assertThat(mails("ERP01: datastore full")).isEmpty();

        browser.get(console + "/alerts");
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.alert")));
        assertThat(browser.findElement(By.cssSelector("article.alert.silenced")).getText())
                .contains("WIN7,ERP01").contains("silenced").contains("suppressed");
        shot("6-alerts");
    }

    @Test
    @Order(2)
    void aRegistrationMadeInTheConsoleGivesTheLineToPasteIntoXsiBackup() throws Exception {
        browser.get(console + "/registrations");
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("id")));
        assertThat(browser.getPageSource()).contains("esxi-en");
        browser.findElement(By.id("id")).sendKeys("esxi-console");
        browser.findElement(By.id("account")).sendKeys("3723707");
        browser.findElement(By.cssSelector("form.grid button[type=submit]")).click();
        wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("token")));
        String token = browser.findElement(By.id("token")).getAttribute("value");
        assertThat(token).hasSizeGreaterThan(20);
        assertThat(browser.findElement(By.cssSelector("dl.setup")).getText()).contains("--on-error=").contains(token);
        shot("7-registration");
        HttpResponse<String> used = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort
                + "/hooks/xsibackup/" + token + "/success?" + xsi("401", "5", "--backup-vms=NEWVM", null))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(used.statusCode()).isEqualTo(200);

        // a job whose name a path would rewrite still has its page, reached from the list
        String odd = "a/../b;c%2e%2e?d#e";
        hook(TOKEN_EN, "error", xsi("402", "5", "--backup-vms=" + odd, "odd: failed"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            browser.get(console + "/jobs?q=" + java.net.URLEncoder.encode("b;c", StandardCharsets.UTF_8));
            return !browser.findElements(By.linkText(odd)).isEmpty();
        });
        browser.findElement(By.linkText(odd)).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("dl.facts")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains(odd);
    }

    @Test
    @Order(3)
    void aKeyOfAnotherTenantSeesNoneOfDemosJobs() throws Exception {
        browser.get(console + "/jobs");
        browser.findElement(By.cssSelector("form.signout button")).click();
        wait(10).until(ExpectedConditions.presenceOfElementLocated(By.id("key")));
        signIn(OTHER_KEY);
        wait(10).until(driver -> driver.getPageSource().contains("OTHERVM"));
        assertThat(browser.getPageSource()).doesNotContain("WIN7,ERP01").doesNotContain("3723707");
        shot("8-other-tenant");
        browser.get(console + "/jobs/demo/3723707/WIN7,ERP01");
        assertThat(browser.getPageSource()).contains("404").doesNotContain("snapshot creation failed");
        browser.get(console + "/alerts");
        assertThat(browser.getPageSource()).doesNotContain("WIN7,ERP01");
        browser.get(console + "/silences");
        assertThat(browser.getPageSource()).doesNotContain("SAN-2");
    }

    @Test
    @Order(4)
    void theFailureMailsReadWellInABrowserInEnglishAndGerman() throws Exception {
        hook(TOKEN_DE, "error", xsi("501", "300", "--backup-vms=BUCHHALTUNG", "BUCHHALTUNG: Snapshot fehlgeschlagen"));
        await().atMost(Duration.ofSeconds(60)).until(() -> !mails("BUCHHALTUNG").isEmpty());

        MimeMessage english = mails("WIN7,ERP01 of account 3723707 failed").get(0);
        MimeMessage german = mails("BUCHHALTUNG").get(0);
        assertThat(german.getSubject()).contains("ist fehlgeschlagen");
        for (var mail : List.of(java.util.Map.entry("mail-en", english), java.util.Map.entry("mail-de", german))) {
            String html = part(mail.getValue(), "text/html");
            String text = part(mail.getValue(), "text/plain");
            Path file = SHOTS.resolve(mail.getKey() + ".html").toAbsolutePath();
            Files.writeString(file, html);
            browser.get(file.toUri().toString());
            String shown = browser.findElement(By.tagName("body")).getText();
            if (mail.getKey().equals("mail-en")) {
                assertThat(shown).contains("Backup WIN7,ERP01 of account 3723707 failed").contains("What to do")
                        .contains("Host").contains("esxi-en").contains("Failed runs in a row").contains("Run time")
                        .contains("14 min 5 s").contains("Open the job in Vigil");
                assertThat(text).contains("Open the job in Vigil: " + console + "/job/"
                        + new dev.vigil.model.JobKey("demo", "3723707", "WIN7,ERP01").urlId());
            } else {
                assertThat(shown).contains("Was zu tun ist").contains("Rechner").contains("esxi-de")
                        .contains("Laufzeit").contains("5 min 0 s").contains("Den Auftrag in Vigil öffnen");
                assertThat(text).contains("Fehlgeschlagene Läufe in Folge: 1");
            }
            assertThat(browser.findElement(By.linkText(mail.getKey().equals("mail-en") ? "Open the job in Vigil"
                    : "Den Auftrag in Vigil öffnen")).getAttribute("href")).startsWith(console + "/job/");
            shot(mail.getKey());
        }
    }

    private void signIn(String key) {
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
    }

    private WebDriverWait wait(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private void hook(String token, String kind, String query) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort
                + "/hooks/xsibackup/" + token + "/" + kind + "?" + query)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static String xsi(String pid, String seconds, String cmd, String err) {
        return EndToEndScenario.xsiQuery(pid, seconds, cmd, err);
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

    private static String part(MimeMessage message, String type) throws Exception {
        Object content = message.getContent();
        if (content instanceof Multipart multipart) {
            String found = find(multipart, type);
            if (found != null) {
                return found;
            }
        }
        return GreenMailUtil.getBody(message);
    }

    private static String find(Multipart multipart, String type) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContent() instanceof Multipart inner) {
                String found = find(inner, type);
                if (found != null) {
                    return found;
                }
            } else if (part.isMimeType(type)) {
                return new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
