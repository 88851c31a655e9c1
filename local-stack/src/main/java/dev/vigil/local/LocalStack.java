package dev.vigil.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The infrastructure of a local Vigil, without Docker: Kafka on 9092, the demo LDAP directory on 3389, an SMTP
 * catcher on 3025 writing every mail to {@code .local/mail/} and an HTTP catcher on 8099 (the demo Slack, IFTTT
 * and webhook receivers) writing every request to {@code .local/webhooks/}. Ports and the folder can be changed with
 * {@code -Dvigil.local.kafka-port=…}, {@code ldap-port}, {@code smtp-port}, {@code mail-dir}, {@code kafka-dir}. Ctrl-C stops it.
 * <p>
 * For fault drills, {@code -Dvigil.local.only=ldap,smtp} starts only the parts named ({@code kafka}, {@code ldap},
 * {@code smtp}, {@code webhooks}), so one can be stopped or paused alone; {@code -Dvigil.local.cluster-node=N}
 * (1, 2 or 3) starts node N of a three-node Kafka cluster instead ({@link LocalKafka#startClusterNode}).
 */
public final class LocalStack {

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        Integer clusterNode = Integer.getInteger("vigil.local.cluster-node");
        if (clusterNode != null) {
            LocalKafka node = LocalKafka.startClusterNode(clusterNode,
                    Path.of(System.getProperty("vigil.local.kafka-dir", ".local/cluster/node-" + clusterNode)));
            stayUntilStopped(node);
            System.out.println("local-stack ready: kafka cluster node " + clusterNode + " on " + node.bootstrapServers());
            await();
            return;
        }
        java.util.Set<String> parts = java.util.Set.of(System.getProperty("vigil.local.only", "kafka,ldap,smtp,webhooks")
                .strip().split("\\s*,\\s*"));
        int kafkaPort = Integer.getInteger("vigil.local.kafka-port", 9092);
        int ldapPort = Integer.getInteger("vigil.local.ldap-port", 3389);
        int smtpPort = Integer.getInteger("vigil.local.smtp-port", 3025);
        Path mailDir = Path.of(System.getProperty("vigil.local.mail-dir", ".local/mail"));
        StringBuilder ready = new StringBuilder("local-stack ready:");

        if (parts.contains("kafka")) {
            LocalKafka kafka = LocalKafka.start(kafkaPort, Path.of(System.getProperty("vigil.local.kafka-dir", ".local/kafka/data")));
            stayUntilStopped(kafka);
            ready.append(" kafka=").append(kafka.bootstrapServers());
        }
        if (parts.contains("ldap")) {
            DemoDirectory directory = DemoDirectory.start(ldapPort, DemoDirectory.DEMO_DATA);
            stayUntilStopped(directory);
            ready.append(" ldap=").append(directory.url());
        }
        if (parts.contains("smtp")) {
            MailCatcher mail = MailCatcher.start(smtpPort, mailDir);
            stayUntilStopped(mail);
            ready.append(" smtp=127.0.0.1:").append(mail.port()).append(" mail-dir=").append(mailDir.toAbsolutePath());
        }
        if (parts.contains("webhooks")) {
            WebhookCatcher webhooks = WebhookCatcher.start(Integer.getInteger("vigil.local.webhook-port", 8099),
                    Path.of(System.getProperty("vigil.local.webhook-dir", ".local/webhooks")));
            stayUntilStopped(webhooks);
            ready.append(" webhooks=http://127.0.0.1:").append(webhooks.port());
        }
        System.out.println(ready);
        await();
    }

    private static final java.util.Deque<AutoCloseable> RUNNING = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static final CountDownLatch STOPPED = new CountDownLatch(1);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the last started first
            for (AutoCloseable part = RUNNING.pollLast(); part != null; part = RUNNING.pollLast()) {
                try {
                    part.close();
                } catch (Exception e) {
                    System.err.println("stopping " + part + ": " + e);
                }
            }
            STOPPED.countDown();
        }, "local-stack-stop"));
    }

    private static void stayUntilStopped(AutoCloseable part) {
        RUNNING.addLast(part);
    }

    private static void await() throws InterruptedException {
        STOPPED.await();
    }

    /** The broker logs at DEBUG without a configuration; the stack only needs its warnings. */
    private static void quietLogging() {
        var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.WARN);
    }
}
