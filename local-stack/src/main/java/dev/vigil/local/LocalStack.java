package dev.vigil.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The infrastructure of a local Vigil, without Docker: Kafka on 9092, the demo LDAP directory on 3389, an SMTP
 * catcher on 3025 writing every mail to {@code .local/mail/} and an HTTP catcher on 8099 (the demo Slack, IFTTT
 * and webhook receivers) writing every request to {@code .local/webhooks/}. Ports and the folder can be changed with
 * {@code -Dvigil.local.kafka-port=…}, {@code ldap-port}, {@code smtp-port}, {@code mail-dir}, {@code kafka-dir}. Ctrl-C stops it.
 */
public final class LocalStack {

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        int kafkaPort = Integer.getInteger("vigil.local.kafka-port", 9092);
        int ldapPort = Integer.getInteger("vigil.local.ldap-port", 3389);
        int smtpPort = Integer.getInteger("vigil.local.smtp-port", 3025);
        Path mailDir = Path.of(System.getProperty("vigil.local.mail-dir", ".local/mail"));

        LocalKafka kafka = LocalKafka.start(kafkaPort, Path.of(System.getProperty("vigil.local.kafka-dir", ".local/kafka/data")));
        DemoDirectory directory = DemoDirectory.start(ldapPort, DemoDirectory.DEMO_DATA);
        MailCatcher mail = MailCatcher.start(smtpPort, mailDir);
        WebhookCatcher webhooks = WebhookCatcher.start(Integer.getInteger("vigil.local.webhook-port", 8099),
                Path.of(System.getProperty("vigil.local.webhook-dir", ".local/webhooks")));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            webhooks.close();
            mail.close();
            directory.close();
            kafka.close();
            stopped.countDown();
        }, "local-stack-stop"));

        System.out.println("local-stack ready: kafka=" + kafka.bootstrapServers() + " ldap=" + directory.url()
                + " smtp=127.0.0.1:" + mail.port() + " mail-dir=" + mailDir.toAbsolutePath()
                + " webhooks=http://127.0.0.1:" + webhooks.port());
        stopped.await();
    }

    /** The broker logs at DEBUG without a configuration; the stack only needs its warnings. */
    private static void quietLogging() {
        var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.WARN);
    }
}
