package dev.vigil.notifier;

import dev.vigil.kafka.InternalTopics;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The notifier: tells the right people. Configuration lives in {@code notifier.yml}. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class NotifierApplication {

    /** {@code backup.notifications} (and its retry topics) hold delivery requests, private to the notifier. */
    @org.springframework.context.annotation.Bean
    static dev.vigil.kafka.TopicValueType notificationsType() {
        return new dev.vigil.kafka.TopicValueType(InternalTopics.NOTIFICATIONS,
                dev.vigil.notifier.delivery.DeliveryRequest.class);
    }

    /** {@code backup.notifications.directory-wait} holds receivers' parts of alerts waiting for the directory. */
    @org.springframework.context.annotation.Bean
    static dev.vigil.kafka.TopicValueType directoryWaitType() {
        return new dev.vigil.kafka.TopicValueType(InternalTopics.DIRECTORY_WAIT,
                dev.vigil.notifier.pipeline.NotificationPipeline.DirectoryWait.class);
    }

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as {@code main} runs it; tests that start several services in one JVM use it too. */
    public static SpringApplication application() {
        // Jakarta Mail looks its stream provider up with a ServiceLoader for every multipart message, which in a
        // packaged Boot jar costs more than the rest of sending it; naming it skips the lookup.
        if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
            System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        }
        SpringApplication application = new SpringApplication(NotifierApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", "notifier"));
        return application;
    }
}
