package dev.vigil.console;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The console: the pages a backup administrator opens (jobs, a job's runs, alerts with their audit, silences,
 * registrations) and the public status badges. It keeps no state of its own: every page is read from the rules',
 * the notifier's and the gateway's APIs with the signed-in person's API key, so any number of replicas answer
 * alike. Configuration lives in {@code console.yml}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as {@code main} runs it; tests that start several services in one JVM use it too. */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(ConsoleApplication.class);
        application.setDefaultProperties(Map.of("spring.config.name", "console"));
        return application;
    }
}
