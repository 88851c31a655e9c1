package dev.vigil.load;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The least an HTTP ingest on the gateway's stack can do, to measure what the stack itself allows on a machine: Spring
 * MVC on Tomcat, virtual threads, no security, no parsing, no masking. {@code GET /floor/ok} answers {@code OK} at
 * once; {@code GET /floor/kafka} first sends a fixed 600-byte JSON value to the topic {@code floor.events} (as many
 * partitions as {@code backup.events} on the local stack: 3) with the gateway's producer settings (idempotent,
 * {@code acks=all}, {@code linger.ms} 5 unless {@code --floor.linger-ms} says otherwise), and answers once the broker
 * has acknowledged it, as the gateway does. Driven by {@code ops/bench/gateway-vs-alertmanager.sh} with
 * {@code FLOOR=1}.
 *
 * <pre>java -Dloader.main=dev.vigil.load.IngestFloor -jar load-generator/target/load-generator-*-exec.jar
 *     [--server.port=8090] [--floor.bootstrap=localhost:9092] [--floor.linger-ms=5]</pre>
 */
@SpringBootApplication(scanBasePackages = "dev.vigil.load.floor", excludeName = {
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web"
                + ".OAuth2ResourceServerWebSecurityAutoConfiguration",
        "dev.vigil.security.ApiSecurityAutoConfiguration",
        "dev.vigil.kafka.VigilKafkaAutoConfiguration"})
@RestController
public class IngestFloor implements AutoCloseable {

    static final String TOPIC = "floor.events";

    private static final byte[] VALUE = ("{\"id\":\"" + "0".repeat(36) + "\",\"source\":\"XSIBACKUP\",\"type\":\"BACKUP_FINISHED\","
            + "\"outcome\":\"SUCCESS\",\"occurredAt\":\"2026-11-30T09:18:06.076123Z\",\"receivedAt\":"
            + "\"2026-11-30T09:18:06.076123Z\",\"job\":{\"tenant\":\"demo\",\"account\":\"3000001\",\"name\":\"vm-1\"},"
            + "\"attributes\":{\"host\":\"esxi-1\"},\"raw\":\"" + "x".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8);

    private final KafkaProducer<String, byte[]> producer;

    IngestFloor(@Value("${floor.bootstrap:localhost:9092}") String bootstrap,
            @Value("${floor.linger-ms:5}") int lingerMs) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3500),
                new StringSerializer(), new ByteArraySerializer());
    }

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(IngestFloor.class);
        application.setDefaultProperties(Map.of("server.port", "8090", "spring.threads.virtual.enabled", "true",
                "spring.main.banner-mode", "off", "logging.level.root", "warn", "spring.jmx.enabled", "false"));
        application.run(args);
    }

    /** Tomcat and Spring MVC alone: {@code OK}. */
    @GetMapping("/floor/ok")
    String ok() {
        return "OK";
    }

    /** One record sent and acknowledged by the broker, then {@code OK}; a failed send is a 500 (Spring's default). */
    @GetMapping("/floor/kafka")
    String kafka() throws InterruptedException, ExecutionException {
        String key = "job-" + ThreadLocalRandom.current().nextInt(1000);
        producer.send(new ProducerRecord<>(TOPIC, key, VALUE)).get();
        return "OK";
    }

    @Override
    public void close() {
        producer.close();
    }
}
